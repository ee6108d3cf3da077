import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = path.resolve(import.meta.dirname, '../..');

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address() as net.AddressInfo;
			srv.close(() => resolve(port));
		});
		srv.on('error', reject);
	});
}

export interface AppServer {
	url: string;
	port: number;
	process: ChildProcess;
	output: () => string;
	stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts the built app as a real process (the same launcher as `npm start`) on the given database. */
export async function startAppServer(opts: { databaseUrl: string; port?: number; env?: Record<string, string>; nodeArgs?: string[] }): Promise<AppServer> {
	const port = opts.port ?? (await freePort());
	let output = '';
	const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), 'scripts/start.mjs'], {
		cwd: ROOT,
		env: { ...process.env, DATABASE_URL: opts.databaseUrl, PORT: String(port), HOST: '127.0.0.1', SKIP_BUILD: '1', DEMO: '0', LIVEKIT_EMBEDDED: '0', ...opts.env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout!.on('data', (d) => (output += d));
	child.stderr!.on('data', (d) => (output += d));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const url = `http://127.0.0.1:${port}`;
	for (let i = 0; ; i++) {
		if (child.exitCode !== null) throw new Error(`app exited early:\n${output}`);
		try {
			if ((await fetch(`${url}/api/health`)).ok) break;
		} catch {
			// not listening yet
		}
		if (i > 300) throw new Error(`app did not start:\n${output}`);
		await sleep(100);
	}
	return {
		url,
		port,
		process: child,
		output: () => output,
		stop: async (signal = 'SIGTERM') => {
			if (child.exitCode === null) child.kill(signal);
			return exited;
		}
	};
}
