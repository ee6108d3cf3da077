import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Trx } from '../sittings/events';

let known: boolean | undefined;

/**
 * Whether the `resolutions` table exists (it comes with another feature's migration). Read once per process;
 * the city view counts 0 resolutions without it.
 */
export async function resolutionsAvailable(db: Db | Trx): Promise<boolean> {
	if (known === true) return true;
	const { rows } = await sql<{ t: string | null }>`select to_regclass('public.resolutions')::text as t`.execute(db);
	known = rows[0].t !== null;
	return known;
}
