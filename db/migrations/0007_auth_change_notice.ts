// Frozen in time: never import app code here and never edit after it has landed.
import { sql, type Kysely } from 'kysely';

// Instances remember who is behind a session token between requests; they must hear when that answer changes.
// Any statement that ends or changes sessions, changes users, city roles, council memberships or councils
// notifies 'auth_changed' (once per statement, at commit), and every instance forgets what it remembered.
// Creating a session is not among them: a new token was never remembered.

const WATCHED: [table: string, events: string][] = [
	['sessions', 'update or delete or truncate'],
	['users', 'update or delete or truncate'],
	['city_roles', 'insert or update or delete or truncate'],
	['council_members', 'insert or update or delete or truncate'],
	['councils', 'update or delete or truncate']
];

export async function up(db: Kysely<any>): Promise<void> {
	await sql`
		create function nts_auth_changed() returns trigger language plpgsql as $$
		begin
			perform pg_notify('auth_changed', tg_table_name);
			return null;
		end $$`.execute(db);
	for (const [table, events] of WATCHED) {
		await sql.raw(`create trigger ${table}_auth_changed after ${events} on ${table} for each statement execute function nts_auth_changed()`).execute(db);
	}
}

export async function down(db: Kysely<any>): Promise<void> {
	for (const [table] of WATCHED) await sql.raw(`drop trigger if exists ${table}_auth_changed on ${table}`).execute(db);
	await sql`drop function if exists nts_auth_changed()`.execute(db);
}
