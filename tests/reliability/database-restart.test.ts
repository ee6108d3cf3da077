import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { listen } from '../../bench/lib/sse-listener';
import { ownDatabase } from '../helpers/own-database';

let database: Awaited<ReturnType<typeof ownDatabase>>;
let app: AppServer;

beforeAll(async () => {
	database = await ownDatabase('pg-restart');
	app = await startAppServer({ databaseUrl: database.url });
});
afterAll(async () => {
	await app?.stop();
	await database?.stop();
});

async function councilId(client: HttpClient, code: string) {
	const councils = await client.query<{ id: string; code: string }[]>('council.list');
	return councils.find((c) => c.code === code)!.id;
}

describe('PostgreSQL restarted under the running app', () => {
	it('fails requests clearly while it is down, then recovers by itself and live updates resume', async () => {
		const chair = new HttpClient(app.url);
		await chair.login('chair.26743');
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId: await councilId(chair, '26743'), kind: 'regular', title: 'Kỳ họp', startsAt: new Date().toISOString() });
		await chair.mutation('sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		await chair.mutation('sitting.convene', { sittingId });

		const seen: number[] = [];
		const controller = new AbortController();
		await listen(`${app.url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId, lastEventId: '3' }))}`, { cookie: chair.cookie }, controller.signal, (d) => seen.push((JSON.parse(d) as { seq: number }).seq));

		const delegate = new HttpClient(app.url);
		await delegate.login('delegate.26743.1');
		await delegate.mutation('attendance.checkIn', { sittingId, mode: 'hall' });

		// Down: a request in flight or made now fails with a clear message, not a crash.
		const restarting = database.restart(2000);
		await new Promise((r) => setTimeout(r, 500));
		const failure = await delegate.mutation('attendance.checkIn', { sittingId, mode: 'remote' }).catch((e: { status?: number; message: string }) => e);
		expect(failure).toMatchObject({ status: expect.any(Number) });
		expect((failure as { status: number }).status).toBeGreaterThanOrEqual(500);
		expect((failure as { message: string }).message).toMatch(/cơ sở dữ liệu|hệ thống/);
		await restarting;

		// Up again: the pool reconnects on its own, the hub re-listens, and live events flow to the same stream.
		let recovered = false;
		for (let i = 0; i < 50 && !recovered; i++) {
			recovered = await delegate.mutation('attendance.checkIn', { sittingId, mode: 'remote' }).then(() => true, () => false);
			if (!recovered) await new Promise((r) => setTimeout(r, 200));
		}
		expect(recovered).toBe(true);
		const second = new HttpClient(app.url);
		await second.login('delegate.26743.2');
		await second.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
		for (let i = 0; i < 50 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 200));
		controller.abort();
		expect(seen).toEqual([4, 5, 6]);
		expect(app.process.exitCode).toBeNull();
	});
});
