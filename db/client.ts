import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './prepared.js';
import type { Database } from './schema.js';

// int8 (bigserial ids, counts) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = Kysely<Database>;

export function createPool(connectionString: string, max = 20): pg.Pool {
	const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, idleTimeoutMillis: 30_000, Client: PreparingClient });
	// A pooled client that loses its server (database restart) emits 'error'; without a listener Node would crash.
	pool.on('error', (err) => console.error(JSON.stringify({ level: 'error', msg: 'pg pool client error', err: err.message })));
	return pool;
}

export function createDb(connectionString: string, max = 20): { db: Db; pool: pg.Pool } {
	const pool = createPool(connectionString, max);
	return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
