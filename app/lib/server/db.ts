import { createDb, type Db } from '../../../db/client.js';
import { onShutdown } from './lifecycle';
import type pg from 'pg';

// The pool is process infrastructure, not user state, so one per process is right.
let instance: { db: Db; pool: pg.Pool } | undefined;

export function getDb(): Db {
	if (!instance) {
		const url = process.env.DATABASE_URL;
		if (!url) throw new Error('DATABASE_URL is not set (start the app with `npm start`).');
		instance = createDb(url, Number(process.env.DB_POOL_SIZE ?? 20));
		onShutdown(closeDb);
	}
	return instance.db;
}

export async function closeDb(): Promise<void> {
	const current = instance;
	instance = undefined;
	await current?.db.destroy();
}
