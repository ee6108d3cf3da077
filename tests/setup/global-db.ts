/**
 * Vitest global setup for integration tests: a real PostgreSQL (DATABASE_URL, or an embedded server started
 * here), and a template database migrated and seeded once, which every test file clones (CREATE DATABASE …
 * TEMPLATE) so each file starts from the same fresh state in milliseconds.
 */
import { rm } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createDb } from '../../db/client';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../db/embedded';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCouncils } from '../../db/seed/councils';
import { seedDemo } from '../../db/seed/demo';
import pg from 'pg';

export const TEMPLATE = 'nts_test_template';

declare module 'vitest' {
	export interface ProvidedContext {
		pgAdminUrl: string;
	}
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

function withDatabase(url: string, database: string): string {
	const u = new URL(url);
	u.pathname = '/' + database;
	return u.toString();
}

export default async function setup(project: TestProject) {
	let embedded: EmbeddedServer | null = null;
	let dataDir: string | null = null;
	let adminUrl = process.env.DATABASE_URL;
	if (!adminUrl) {
		dataDir = path.resolve('tests/.tmp', `pg-${process.pid}`);
		embedded = await startEmbeddedPostgres({ dataDir, port: await freePort() });
		adminUrl = embedded.url('postgres');
	}
	// A fresh template every run, so a changed migration or seed is always picked up.
	const admin = new pg.Client({ connectionString: adminUrl });
	await admin.connect();
	await admin.query(`drop database if exists ${TEMPLATE} with (force)`);
	await admin.end();
	await ensureDatabase(adminUrl, TEMPLATE);
	const { db } = createDb(withDatabase(adminUrl, TEMPLATE), 2);
	await migrateToLatest(db);
	await seedCouncils(db);
	await seedDemo(db, 'demo');
	await db.destroy();

	project.provide('pgAdminUrl', adminUrl);
	return async () => {
		await embedded?.stop();
		if (dataDir) await rm(dataDir, { recursive: true, force: true });
	};
}
