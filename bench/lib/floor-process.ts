import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * The floor server in a process of its own, as the app is: a write to a subscriber then costs what it costs
 * the app (waking another process), instead of landing in the benchmark client's own process.
 */
export async function startFloorProcess(databaseUrl?: string): Promise<{ url: string; pid: number; close: () => Promise<void> }> {
	const env = databaseUrl ? { ...process.env, FLOOR_DATABASE_URL: databaseUrl } : process.env;
	const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'floor-main.ts')], { stdio: ['ignore', 'pipe', 'inherit'], env });
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (d) => {
			out += d;
			const line = /^(http:\/\/\S+)\n/m.exec(out);
			if (line) resolve(line[1]);
		});
		child.on('exit', (code) => reject(new Error(`floor server exited (${code})`)));
	});
	return {
		url,
		pid: child.pid!,
		close: () =>
			new Promise<void>((resolve) => {
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			})
	};
}
