import { json } from '@sveltejs/kit';
import { sql } from 'kysely';
import { getDb } from '$lib/server/db';
import type { RequestHandler } from './$types';

/** Readiness: the app answers and its database too. */
export const GET: RequestHandler = async () => {
	try {
		await sql`select 1`.execute(getDb());
		return json({ ok: true, database: 'ok' });
	} catch {
		return json({ ok: false, database: 'unavailable' }, { status: 503 });
	}
};
