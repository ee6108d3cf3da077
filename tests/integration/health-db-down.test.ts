/**
 * The claim (app/routes/api/health/+server.ts, README): `/api/health` is a readiness check that answers 503
 * when the database is down. Tested on the built app as a real process, on a PostgreSQL server of this file's
 * own (the shared test server cannot be stopped), which is then really stopped under the running app.
 *
 * Needs the build: `npx vite build` (scripts/test.sh builds before the suites run).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../db/embedded';
import { ensureDatabase } from '../../db/ensure-database';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';

const dataDir = path.resolve('tests/.tmp', `health-db-down-${process.pid}`);
let pg: EmbeddedServer;
let app: AppServer;

beforeAll(async () => {
	rmSync(dataDir, { recursive: true, force: true });
	pg = await startEmbeddedPostgres({ dataDir, port: await freePort() });
	await ensureDatabase(pg.url(), 'app');
	// The launcher migrates and seeds the empty database itself (DEMO=0: councils only, no demo accounts).
	app = await startAppServer({ databaseUrl: pg.url('app') });
});

afterAll(async () => {
	await app?.stop();
	await pg?.stop();
	rmSync(dataDir, { recursive: true, force: true });
});

async function health() {
	// A bound on the wait: "down" must be answered, not left hanging until a client gives up.
	const res = await fetch(`${app.url}/api/health`, { signal: AbortSignal.timeout(10_000) });
	return { status: res.status, body: (await res.json()) as unknown };
}

describe('/api/health', () => {
	it('answers 200 while the database is up and 503 with database "unavailable" once it is stopped', async () => {
		expect(await health()).toEqual({ status: 200, body: { ok: true, database: 'ok' } });

		// A clean, complete stop of the server: every connection of the app's pool is closed and new ones refused.
		await pg.stop();
		expect(await health()).toEqual({ status: 503, body: { ok: false, database: 'unavailable' } });
		// Asked again (the pool now has no connection left at all): still a clear 503, and the app still runs.
		expect(await health()).toEqual({ status: 503, body: { ok: false, database: 'unavailable' } });
		expect(app.process.exitCode).toBeNull();
	});
});
