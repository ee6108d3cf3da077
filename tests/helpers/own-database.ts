import { rmSync } from 'node:fs';
import path from 'node:path';
import { createDb } from '../../db/client';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../db/embedded';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCouncils } from '../../db/seed/councils';
import { seedDemo } from '../../db/seed/demo';
import { freePort } from './app-server';

/** A fresh embedded PostgreSQL under `<parent>/<name>-<pid>` with database `app` migrated and seeded with demo data. */
export async function seededServer(name: string, parent: string) {
	const dataDir = path.resolve(parent, `${name}-${process.pid}`);
	rmSync(dataDir, { recursive: true, force: true });
	const port = await freePort();
	const server = await startEmbeddedPostgres({ dataDir, port });
	await ensureDatabase(server.url(), 'app');
	const url = server.url('app');
	const { db } = createDb(url, 5);
	await migrateToLatest(db);
	await seedCouncils(db);
	await seedDemo(db, 'demo');
	await db.destroy();
	return { dataDir, port, server, url };
}

/**
 * A PostgreSQL server of the caller's own (so it can be restarted), migrated and seeded with demo data: used by
 * the reliability suite and the benchmarks. The data lives under `<parent>/<name>-<pid>` and goes with stop().
 */
export async function ownDatabase(name: string, parent = 'tests/.tmp') {
	const seeded = await seededServer(name, parent);
	const { dataDir, port, url } = seeded;
	let server: EmbeddedServer = seeded.server;
	return {
		url,
		dataDir,
		restart: async (downMs = 1000) => {
			await server.stop();
			await new Promise((r) => setTimeout(r, downMs));
			server = await startEmbeddedPostgres({ dataDir, port });
		},
		stop: async () => {
			await server.stop();
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
