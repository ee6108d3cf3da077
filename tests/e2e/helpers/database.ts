import { readFileSync } from 'node:fs';
import path from 'node:path';
import { appRoleUrl } from '../../../db/app-role';
import { createDb } from '../../../db/client';
import { E2E_PORT } from '../video-env';

/** The e2e app's database (tests/e2e/serve.mjs: its data directory and embedded PostgreSQL), as an insider reaches it. */
export function e2eDatabaseUrl(): string {
	if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
	const dataDir = path.resolve(import.meta.dirname, '../../.tmp', `e2e-${E2E_PORT}`);
	const password = readFileSync(path.join(dataDir, 'secrets', 'postgres-app-password'), 'utf8').trim();
	return appRoleUrl(Number(process.env.E2E_PG_PORT ?? 54388), 'nghitruongso', password, 'nghitruongso');
}

/** A one-connection client of that database; `db.destroy()` when done. */
export function e2eDatabase() {
	return createDb(e2eDatabaseUrl(), 1).db;
}
