import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { listen } from '../../bench/lib/sse-listener';
import { ownDatabase } from '../helpers/own-database';
import { until } from '../helpers/until';

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
		// The database goes down (a clean stop) and stays down 2 s: once the app's health says so, a request fails.
		await until(async () => (await fetch(`${app.url}/api/health`)).status === 503, 'the app reports the database down', 5000);
		const failure = await delegate.mutation('attendance.checkIn', { sittingId, mode: 'remote' }).catch((e: { status?: number; message: string }) => e);
		expect(failure).toMatchObject({ status: expect.any(Number) });
		expect((failure as { status: number }).status).toBeGreaterThanOrEqual(500);
		expect((failure as { message: string }).message).toMatch(/cơ sở dữ liệu|hệ thống/);
		await restarting;

		// Up again: the pool reconnects on its own, the hub re-listens, and live events flow to the same stream.
		await until(async () => (await fetch(`${app.url}/api/health`)).status === 200, 'the app reaches the database again', 10_000);
		await delegate.mutation('attendance.checkIn', { sittingId, mode: 'remote' });
		const second = new HttpClient(app.url);
		await second.login('delegate.26743.2');
		await second.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
		await until(() => seen.length >= 3, 'the three check-ins reached the stream', 10_000);
		controller.abort();
		expect(seen).toEqual([4, 5, 6]);
		expect(app.process.exitCode).toBeNull();
	});
});
