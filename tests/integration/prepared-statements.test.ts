import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/client';

// One connection, so the prepared statements seen are those of the connection that ran the queries.
const { db } = createDb(process.env.DATABASE_URL!, 1);
afterAll(() => db.destroy());

const prepared = async () =>
	(await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);

describe('prepared statements (db/prepared.ts)', () => {
	it('prepares a marked query once per connection and gives the same answers', async () => {
		for (const n of [1, 2, 3]) {
			const { rows } = await sql<{ doubled: number }>`/* prepared */ select ${n}::int * 2 as doubled`.execute(db);
			expect(rows[0].doubled).toBe(n * 2);
		}
		const marked = (await prepared()).filter((s) => s.includes('doubled'));
		expect(marked).toHaveLength(1);
	});

	it('leaves unmarked queries unprepared', async () => {
		await sql`select 7 as unmarked_probe`.execute(db);
		expect((await prepared()).some((s) => s.includes('unmarked_probe'))).toBe(false);
	});
});
