import { sql } from 'kysely';
import type { Db } from '../client.js';
import { hashPassword, verifyPassword } from '../password-hash.js';
import { searchName } from '../search-name.js';
import { storedSecret, storedSecretPath } from '../stored-secret.js';

export const FIRST_ADMIN = 'admin';
export const FIRST_ADMIN_SECRET = 'admin-password';

export type FirstAdmin =
	| { kind: 'exists' }
	| { kind: 'created'; username: string; passwordFile: string }
	/** No administrator, and the name is held by an account that is not one: nothing is granted to it. */
	| { kind: 'name-taken'; username: string };

/**
 * Without demo data nobody could sign in to a fresh database: the first start makes one administrator, `admin`,
 * with a random password kept in DATA_DIR/secrets/admin-password (0600, through the one secret loader). The
 * password goes to that file only, never to the log: logs are read and shipped by more people than the owner of
 * DATA_DIR. Once any administrator exists, nothing happens.
 */
export async function ensureFirstAdmin(db: Db): Promise<FirstAdmin> {
	return db.transaction().execute(async (trx) => {
		// Instances starting together on one database: one makes the account, the others then see it.
		await sql`select pg_advisory_xact_lock(hashtext('nghi-truong-so.first-admin')::bigint)`.execute(trx);
		const admin = await trx.selectFrom('city_roles').select('user_id').where('role', '=', 'admin').limit(1).executeTakeFirst();
		if (admin) return { kind: 'exists' } as const;
		const fullName = 'Quản trị hệ thống';
		const created = await trx
			.insertInto('users')
			.values({ username: FIRST_ADMIN, full_name: fullName, search_name: searchName(fullName), password_hash: await hashPassword(storedSecret(FIRST_ADMIN_SECRET, 12)) })
			.onConflict((oc) => oc.column('username').doNothing())
			.returning('id')
			.executeTakeFirst();
		if (!created) return { kind: 'name-taken', username: FIRST_ADMIN } as const;
		await trx.insertInto('city_roles').values({ user_id: created.id, role: 'admin' }).execute();
		return { kind: 'created', username: FIRST_ADMIN, passwordFile: storedSecretPath(FIRST_ADMIN_SECRET) } as const;
	});
}

/**
 * Demo accounts left from a start with demo data (before issue 19 every embedded start had them): the names the
 * demo seed uses that still take the demo password. A start without demo data warns about them rather than
 * deleting accounts that may since have been put to use.
 */
export async function demoLoginsLeft(db: Db, demoPassword: string): Promise<string[]> {
	const rows = await db.selectFrom('users').select(['username', 'password_hash']).where('username', 'in', ['admin', 'chair.city', 'delegate.city.1']).where('active', '=', true).execute();
	const left: string[] = [];
	for (const row of rows) if (await verifyPassword(row.password_hash, demoPassword)) left.push(row.username);
	return left.sort();
}
