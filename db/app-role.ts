import pg from 'pg';
import { ensureDatabase } from './ensure-database.js';

/**
 * The embedded PostgreSQL's own login for the app: a plain role that owns the app's database and everything in
 * it, and nothing else. The superuser may run programs on the host (COPY … FROM PROGRAM) and read its files; a
 * role without SUPERUSER and without pg_execute_server_program / pg_read_server_files may not, so an SQL
 * injection in the app cannot become a shell. Only for the embedded server: a DATABASE_URL server is the
 * operator's, configured as they chose. Run at every start (a few catalogue reads): it also converts a data
 * directory made before this role existed, whose database and tables the superuser owned.
 */
export async function ensureAppRole(opts: { superuserUrl: (database?: string) => string; role: string; password: string; database: string }): Promise<void> {
	const admin = new pg.Client({ connectionString: opts.superuserUrl('postgres') });
	await admin.connect();
	const role = admin.escapeIdentifier(opts.role);
	try {
		const exists = await admin.query('select 1 from pg_roles where rolname = $1', [opts.role]);
		// The attributes are spelled out (and set again at every start), so a role someone widened is narrowed back.
		const attributes = `login nosuperuser nocreatedb nocreaterole noreplication nobypassrls password ${admin.escapeLiteral(opts.password)}`;
		if (!exists.rowCount) await admin.query(`create role ${role} ${attributes}`);
		else await admin.query(`alter role ${role} ${attributes}`);
		// The roles that read, write or run anything on the host: never for the app (REVOKE of a membership the role
		// does not hold is a no-op with a notice).
		for (const hostRole of ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files']) {
			const member = await admin.query('select pg_has_role($1, $2, $3) as yes', [opts.role, hostRole, 'member']);
			if (member.rows[0].yes) await admin.query(`revoke ${hostRole} from ${role}`);
		}
		await ensureDatabase(opts.superuserUrl('postgres'), opts.database);
		await admin.query(`alter database ${admin.escapeIdentifier(opts.database)} owner to ${role}`);
		// Every role may connect to the maintenance database by default; the app has no business there.
		await admin.query('revoke connect on database postgres from public');
	} finally {
		await admin.end();
	}
	await takeOwnership(opts.superuserUrl(opts.database), opts.role);
}

/** The app's schema objects that another role (the superuser, before issue 19) created, handed to the app's role. */
async function takeOwnership(superuserUrl: string, roleName: string): Promise<void> {
	const client = new pg.Client({ connectionString: superuserUrl });
	await client.connect();
	const role = client.escapeIdentifier(roleName);
	const names = async (query: string) => (await client.query<{ name: string; kind: string }>(query, [roleName])).rows;
	try {
		await client.query('begin');
		// Tables first: their owned sequences, indexes and triggers go with them (and cannot be altered on their own).
		const kinds: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', f: 'foreign table' };
		for (const { name, kind } of await names(
			`select c.oid::regclass::text as name, c.relkind::text as kind from pg_class c
			  where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f') and c.relowner <> $1::regrole`
		)) {
			await client.query(`alter ${kinds[kind]} ${name} owner to ${role}`);
		}
		for (const { name } of await names(
			`select c.oid::regclass::text as name, 'S' as kind from pg_class c
			  where c.relnamespace = 'public'::regnamespace and c.relkind = 'S' and c.relowner <> $1::regrole`
		)) {
			await client.query(`alter sequence ${name} owner to ${role}`);
		}
		for (const { name } of await names(
			`select p.oid::regprocedure::text as name, 'f' as kind from pg_proc p
			  where p.pronamespace = 'public'::regnamespace and p.proowner <> $1::regrole`
		)) {
			await client.query(`alter routine ${name} owner to ${role}`);
		}
		// Enums, domains and ranges (a table's row type goes with its table, an array type with its element).
		for (const { name } of await names(
			`select t.oid::regtype::text as name, t.typtype::text as kind from pg_type t
			  where t.typnamespace = 'public'::regnamespace and t.typtype in ('e', 'd', 'r') and t.typowner <> $1::regrole`
		)) {
			await client.query(`alter type ${name} owner to ${role}`);
		}
		await client.query('commit');
	} catch (err) {
		await client.query('rollback').catch(() => {});
		throw err;
	} finally {
		await client.end();
	}
}

/** The URL the app and its migrations use on the embedded server. */
export function appRoleUrl(port: number, role: string, password: string, database: string): string {
	return `postgres://${encodeURIComponent(role)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}
