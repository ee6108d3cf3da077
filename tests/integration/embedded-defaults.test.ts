/**
 * Issue 19, "unsafe embedded defaults": plain `npm start` (DATABASE_URL unset) on a fresh DATA_DIR, as a real
 * process through the same launcher. It must listen on loopback only, load no demo account unless DEMO=1 (and then
 * say so on every page), give the embedded PostgreSQL's superuser a random password kept under DATA_DIR/secrets, and
 * connect as a role of its own that cannot run programs on the host (COPY … FROM PROGRAM).
 *
 * Needs the build: `npx vite build` (or BUILD_DIR=<a private copy inside the project>).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { translate } from '../../app/lib/i18n';
import { APP_ROLE, APP_ROLE_SECRET, SUPERUSER_SECRET } from '../../db/bootstrap';
import { createDb } from '../../db/client';
import { LEGACY_PASSWORD, startEmbeddedPostgres } from '../../db/embedded';
import { ensureDatabase } from '../../db/ensure-database';
import { migrateToLatest } from '../../db/migrate';
import { seedCouncils } from '../../db/seed/councils';
import { FIRST_ADMIN_SECRET } from '../../db/seed/first-admin';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';

const fresh = () => mkdtempSync(path.join(os.tmpdir(), 'nts-embedded-defaults-'));
const dataDir = fresh();
const legacyDir = fresh();
const SECRETS = [SUPERUSER_SECRET, APP_ROLE_SECRET, FIRST_ADMIN_SECRET];
const secret = (name: string, dir = dataDir) => readFileSync(path.join(dir, 'secrets', name), 'utf8').trim();
let pgPort: number;

afterAll(() => {
	for (const dir of [dataDir, legacyDir]) rmSync(dir, { recursive: true, force: true });
});

/** `npm start` as an operator types it: DATABASE_URL and HOST unset (the helper's '' is unset for the launcher). */
async function npmStart(env: Record<string, string> = {}, dir = dataDir): Promise<AppServer> {
	return startAppServer({ databaseUrl: '', env: { HOST: '', DATA_DIR: dir, EMBEDDED_PG_PORT: String(pgPort), ...env } });
}

/** The local addresses listening on a TCP port, from the kernel's own table (IPv6 ones as their raw hex). */
function listeningAddresses(port: number): string[] {
	const found: string[] = [];
	for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
		if (!existsSync(file)) continue;
		for (const line of readFileSync(file, 'utf8').trim().split('\n').slice(1)) {
			const [, local, , state] = line.trim().split(/\s+/);
			const [address, portHex] = local.split(':');
			if (state !== '0A' || parseInt(portHex, 16) !== port) continue; // 0A: LISTEN
			found.push(file.endsWith('6') ? `v6:${address}` : (address.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16)).join('.'));
		}
	}
	return found;
}

async function connect(user: string, password: string, database: string): Promise<pg.Client> {
	const client = new pg.Client({ host: '127.0.0.1', port: pgPort, user, password, database });
	await client.connect();
	return client;
}

/** The text of the demo banner on a page, or null when the page has none. */
async function bannerOn(url: string, lang: 'vi' | 'en'): Promise<string | null> {
	const html = await (await fetch(url, { headers: { cookie: `lang=${lang}` } })).text();
	return html.match(/<p class="demo-banner[^"]*" data-testid="demo-banner">([^<]*)<\/p>/)?.[1] ?? null;
}

describe('npm start with the embedded PostgreSQL', () => {
	it('without DEMO: loopback only, no demo account, a first administrator, random database passwords, an app role that cannot run programs', async () => {
		pgPort = await freePort();
		const app = await npmStart();
		try {
			expect(listeningAddresses(app.port)).toEqual(['127.0.0.1']);

			// The generated secrets: readable by their owner only, in a folder only the owner can list.
			expect(statSync(path.join(dataDir, 'secrets')).mode & 0o777).toBe(0o700);
			for (const name of SECRETS) expect([name, statSync(path.join(dataDir, 'secrets', name)).mode & 0o777]).toEqual([name, 0o600]);

			// No demo account: the published admin/demo is refused; the one administrator uses the password in its file.
			await expect(new HttpClient(app.url).login('admin', 'demo')).rejects.toMatchObject({ status: 401, data: { i18nKey: 'auth.invalidCredentials' } });
			const admin = await new HttpClient(app.url).login('admin', secret(FIRST_ADMIN_SECRET));
			expect(admin).toMatchObject({ user: { username: 'admin', cityRoles: ['admin'], councils: [] } });
			expect(await bannerOn(`${app.url}/login`, 'vi')).toBeNull();

			// The start says where the password is, and no password at all.
			const file = path.join(dataDir, 'secrets', FIRST_ADMIN_SECRET);
			const lines = app.output().split('\n');
			expect(lines.filter((l) => l.includes('quản trị đầu tiên'))).toEqual([
				`[nghị-trường-số] Đã tạo tài khoản quản trị đầu tiên "admin". Mật khẩu ngẫu nhiên của tài khoản nằm trong tệp ${file} (chỉ chủ tệp đọc được): cat ${file}`
			]);
			for (const name of SECRETS) expect([name, app.output().includes(secret(name))]).toEqual([name, false]);

			// The superuser: the old postgres/postgres is refused, the generated password works.
			await expect(connect('postgres', 'postgres', 'postgres')).rejects.toMatchObject({ code: '28P01' });
			const superuser = await connect('postgres', secret(SUPERUSER_SECRET), 'nghitruongso');
			try {
				const owners = await superuser.query(
					`select count(*)::int as foreign from pg_class where relnamespace = 'public'::regnamespace and relowner <> $1::regrole`,
					[APP_ROLE]
				);
				expect(owners.rows).toEqual([{ foreign: 0 }]); // everything the migrations made belongs to the app's role
			} finally {
				await superuser.end();
			}

			// The app's role: no superuser, no membership that runs or reads anything on the host, owner of its database.
			const role = await connect(APP_ROLE, secret(APP_ROLE_SECRET), 'nghitruongso');
			try {
				const me = await role.query(
					`select r.rolsuper, r.rolcreaterole, r.rolcreatedb,
					        pg_has_role(current_user, 'pg_execute_server_program', 'member') as execute_program,
					        pg_has_role(current_user, 'pg_read_server_files', 'member') as read_files,
					        (select pg_get_userbyid(datdba) from pg_database where datname = current_database()) as database_owner
					   from pg_roles r where r.rolname = current_user`
				);
				expect(me.rows).toEqual([{ rolsuper: false, rolcreaterole: false, rolcreatedb: false, execute_program: false, read_files: false, database_owner: APP_ROLE }]);
				expect((await role.query('select username from users')).rows).toEqual([{ username: 'admin' }]);
				await role.query('create temp table t (line text)');
				await expect(role.query(`copy t from program 'id'`)).rejects.toMatchObject({
					code: '42501',
					message: 'permission denied to COPY to or from an external program'
				});
			} finally {
				await role.end();
			}
			// …and it stays out of the maintenance database.
			await expect(connect(APP_ROLE, secret(APP_ROLE_SECRET), 'postgres')).rejects.toMatchObject({ code: '42501' });
		} finally {
			await app.stop();
		}
	});

	it('with DEMO=1 on the same data: the demo logins work, every page says so (vi and en), and the secrets are those of the first start', async () => {
		const before = SECRETS.map((name) => secret(name));
		const app = await npmStart({ DEMO: '1' });
		try {
			expect(SECRETS.map((name) => secret(name))).toEqual(before); // generated once, kept across restarts
			const chair = await new HttpClient(app.url).login('chair.26743', 'demo');
			expect(chair).toMatchObject({ user: { username: 'chair.26743' } });
			// The demo seed never resets a password: the administrator made at the first start keeps its own.
			await expect(new HttpClient(app.url).login('admin', 'demo')).rejects.toMatchObject({ status: 401, data: { i18nKey: 'auth.invalidCredentials' } });

			expect(await bannerOn(`${app.url}/login`, 'vi')).toBe(translate('vi', 'demo.banner', { password: 'demo' }));
			expect(await bannerOn(`${app.url}/login`, 'en')).toBe(translate('en', 'demo.banner', { password: 'demo' }));
			expect(translate('vi', 'demo.banner', { password: 'demo' })).toBe(
				'Bản dùng thử với dữ liệu mẫu: mọi tài khoản mẫu (kể cả admin) dùng mật khẩu “demo”. Không dùng cho kỳ họp thật.'
			);
		} finally {
			await app.stop();
		}
	});

	it('a data directory made with the old postgres/postgres keeps working: the superuser gets the random password, the app its own role', async () => {
		pgPort = await freePort();
		// What every start before issue 19 left behind: the superuser's fixed password, the app's tables owned by it.
		const old = await startEmbeddedPostgres({ dataDir: path.join(legacyDir, 'postgres'), port: pgPort, password: LEGACY_PASSWORD });
		await ensureDatabase(old.url(), 'nghitruongso');
		const { db } = createDb(old.url('nghitruongso'), 2);
		await migrateToLatest(db);
		await seedCouncils(db);
		await db.destroy();
		await old.stop();

		const app = await npmStart({}, legacyDir);
		try {
			expect(app.output().split('\n').filter((l) => l.includes('mật khẩu mặc định'))).toEqual([
				`[nghị-trường-số] Đã thay mật khẩu mặc định postgres/postgres của PostgreSQL nhúng bằng mật khẩu ngẫu nhiên (${path.join(legacyDir, 'secrets', SUPERUSER_SECRET)}).`
			]);
			await expect(connect('postgres', LEGACY_PASSWORD, 'postgres')).rejects.toMatchObject({ code: '28P01' });
			const role = await connect(APP_ROLE, secret(APP_ROLE_SECRET, legacyDir), 'nghitruongso');
			try {
				const owners = await role.query(`select pg_get_userbyid(relowner) as owner, count(*)::int as n from pg_class where relnamespace = 'public'::regnamespace group by 1`);
				expect(owners.rows.map((r) => r.owner)).toEqual([APP_ROLE]); // the tables the superuser made are the app's now
				expect((await role.query(`select count(*)::int as n from councils`)).rows).toEqual([{ n: 169 }]); // the data is still there
			} finally {
				await role.end();
			}
			expect(await new HttpClient(app.url).login('admin', secret(FIRST_ADMIN_SECRET, legacyDir))).toMatchObject({ user: { username: 'admin' } });
		} finally {
			await app.stop();
		}
	});
});
