import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateDownAll, migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';

async function tables(db: Kysely<any>): Promise<string[]> {
	const { rows } = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = 'public' and table_name not like 'kysely_%' order by 1`.execute(db);
	return rows.map((r) => r.table_name);
}

describe('migrations', () => {
	it('go up, all the way down, and up again on a real PostgreSQL', async () => {
		const admin = inject('pgAdminUrl');
		const name = `nts_mig_${randomBytes(4).toString('hex')}`;
		await ensureDatabase(admin, name);
		const url = new URL(admin);
		url.pathname = '/' + name;
		const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }) });
		try {
			await migrateToLatest(db);
			const up = await tables(db);
			expect(up).toEqual(expect.arrayContaining(['councils', 'users', 'sessions', 'council_members']));
			await migrateDownAll(db);
			expect(await tables(db)).toEqual([]);
			await migrateToLatest(db);
			expect(await tables(db)).toEqual(up);
			const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
			expect(rows.map((r) => r.name)).toEqual(Object.keys(migrations));
		} finally {
			await db.destroy();
		}
	});

	it('let several instances migrate at once without racing', async () => {
		const admin = inject('pgAdminUrl');
		const name = `nts_mig_${randomBytes(4).toString('hex')}`;
		await ensureDatabase(admin, name);
		const url = new URL(admin);
		url.pathname = '/' + name;
		const dbs = [1, 2, 3].map(() => new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.toString(), max: 2 }) }) }));
		try {
			await Promise.all(dbs.map((db) => migrateToLatest(db)));
			const { rows } = await sql<{ n: number }>`select count(*)::int as n from kysely_migration`.execute(dbs[0]);
			expect(rows[0].n).toBe(Object.keys(migrations).length);
		} finally {
			await Promise.all(dbs.map((db) => db.destroy()));
		}
	});
});
