// Runs before each integration test file: its own database, cloned from the seeded template.
import { randomBytes } from 'node:crypto';
import { afterAll, inject } from 'vitest';
import { ensureDatabase } from '../../db/ensure-database';
import { closeDb } from '../../app/lib/server/db';

const TEMPLATE = 'nts_test_template';
const adminUrl = inject('pgAdminUrl');
const name = `nts_test_${randomBytes(5).toString('hex')}`;
await ensureDatabase(adminUrl, name, TEMPLATE);
const url = new URL(adminUrl);
url.pathname = '/' + name;
process.env.DATABASE_URL = url.toString();
process.env.PG_ADMIN_URL = adminUrl;

afterAll(async () => {
	await closeDb();
});
