import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, startAppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { listen } from '../../bench/lib/sse-listener';

describe('graceful shutdown on SIGTERM (embedded PostgreSQL)', () => {
	it('finishes in-flight requests, closes subscriptions and stops the embedded database cleanly', async () => {
		const dataDir = path.resolve('tests/.tmp', `shutdown-${process.pid}`);
		rmSync(dataDir, { recursive: true, force: true });
		// No DATABASE_URL: the app starts its own embedded PostgreSQL with demo data, as `npm start` does.
		const app = await startAppServer({ databaseUrl: '', env: { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), DEMO: '1' } });
		const client = new HttpClient(app.url);
		await client.login('chair.26743');
		const councils = await client.query<{ id: string; code: string }[]>('council.list');
		const { sittingId } = await client.mutation<{ sittingId: string }>('sitting.create', { councilId: councils.find((c) => c.code === '26743')!.id, kind: 'regular', title: 'Kỳ họp', startsAt: new Date().toISOString() });

		let streamEnded = false;
		const controller = new AbortController();
		await listen(`${app.url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId }))}`, { cookie: client.cookie }, controller.signal, () => {});
		const probe = await fetch(`${app.url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId }))}`, { headers: { cookie: client.cookie } });
		const ended = (async () => {
			for await (const _ of probe.body as unknown as AsyncIterable<Uint8Array>) void _;
			streamEnded = true;
		})();

		// A request that takes a while (20 argon2 hashes) is under way when SIGTERM arrives; it must complete.
		const admin = new HttpClient(app.url);
		await admin.login('admin');
		const csv = ['username,full_name,password', ...Array.from({ length: 20 }, (_, i) => `tat.may.${i},Đại biểu ${i},matkhau-${i}-an-toan`)].join('\n');
		const inFlight = admin.mutation('admin.importDelegates', { councilId: councils.find((c) => c.code === '26743')!.id, csv });
		const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
		expect(existsSync(pidFile)).toBe(true);
		await new Promise((r) => setTimeout(r, 150));
		const exit = app.stop('SIGTERM');
		await expect(inFlight).resolves.toMatchObject({ imported: 20 });
		expect(await exit).toBe(0);
		await ended;
		controller.abort();
		expect(streamEnded).toBe(true);
		expect(app.output()).toContain('Đã dừng an toàn');
		console.log(app.output().split('\n').filter((l) => l.includes('ms)')).join('\n'));
		expect(existsSync(pidFile)).toBe(false); // PostgreSQL shut down cleanly, no stale lock left
		await expect(fetch(`${app.url}/api/health`)).rejects.toThrow();
		rmSync(dataDir, { recursive: true, force: true });
	});
});
