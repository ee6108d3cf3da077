import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { PreparingClient } from './prepared.js';
import type { Database } from './schema.js';

// int8 (bigserial ids, counts) as JS numbers: our ids stay far below 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

export type Db = Kysely<Database>;

export interface PoolOptions {
	/** Keep idle connections open (and so their prepared statements and plans) instead of closing them after 30 s. */
	keepIdle?: boolean;
	/**
	 * Plan prepared statements once per connection (plan_cache_mode = force_generic_plan). PostgreSQL otherwise
	 * plans a statement five times and then keeps replanning it when it judges the generic plan dearer — as it does
	 * for statements over arrays, whose length it cannot know. Only for a pool whose statements are known to do
	 * well with their generic plan: it applies to every statement on the connection.
	 */
	genericPlans?: boolean;
}

export function createPool(connectionString: string, max = 20, options: PoolOptions = {}): pg.Pool {
	const pool = new pg.Pool({
		connectionString,
		max,
		connectionTimeoutMillis: 5_000,
		idleTimeoutMillis: options.keepIdle ? 0 : 30_000,
		Client: PreparingClient,
		...(options.genericPlans ? { options: '-c plan_cache_mode=force_generic_plan' } : {})
	});
	// A pooled client that loses its server (database restart) emits 'error'; without a listener Node would crash.
	pool.on('error', (err) => console.error(JSON.stringify({ level: 'error', msg: 'pg pool client error', err: err.message })));
	// The pool listens only to idle clients: one checked out when its server dies (a transaction waiting for a lock
	// when PostgreSQL is killed) emitted 'error' to no listener and Node ended the app (node-postgres#2439; found by
	// tests/reliability/database-crash.test.ts). Its query fails anyway, so its caller sees the error, and the pool
	// drops the broken client when it is released: the event needs a listener, nothing more.
	pool.on('connect', (client) => client.on('error', () => {}));
	return pool;
}

interface Handle {
	url: string;
	companions: Map<string, Db>;
}

const handles = new WeakMap<Db, Handle>();

export function createDb(connectionString: string, max = 20, options: PoolOptions = {}): { db: Db; pool: pg.Pool } {
	const pool = createPool(connectionString, max, options);
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	const handle: Handle = { url: connectionString, companions: new Map() };
	handles.set(db, handle);
	// db.destroy() ends this pool: its companions (companionDb) end with it.
	const end = pool.end.bind(pool);
	pool.end = (async () => {
		const companions = [...handle.companions.values()];
		handle.companions.clear();
		await Promise.all(companions.map((c) => c.destroy()));
		return end();
	}) as typeof pool.end;
	return { db, pool };
}

/**
 * A small pool of its own on the same database as `parent`, for one job whose connections should not queue behind
 * (or be closed and chilled like) the main pool's: made once per name, ended when `parent` is destroyed. A handle
 * not made by createDb (a transaction, a test's own) is its own companion.
 */
export function companionDb(parent: Db, name: string, max: number, options: PoolOptions = {}): Db {
	const handle = handles.get(parent);
	if (!handle) return parent;
	let companion = handle.companions.get(name);
	if (!companion) handle.companions.set(name, (companion = createDb(handle.url, max, options).db));
	return companion;
}
