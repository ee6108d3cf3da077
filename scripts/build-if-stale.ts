import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const SOURCES = ['app', 'db', 'media', 'signing', 'svelte.config.js', 'vite.config.ts', 'scripts/vite-client-dictionaries.ts', 'scripts/vite-node-routes.ts', 'package-lock.json'];

function newestMtime(entry: string): number {
	if (!existsSync(entry)) return 0;
	const stat = statSync(entry);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const child of readdirSync(entry)) {
		if (child === 'node_modules' || child.endsWith('.test.ts')) continue;
		newest = Math.max(newest, newestMtime(path.join(entry, child)));
	}
	return newest;
}

/** Builds the app when there is no build yet or the sources changed since: `npm start` always serves current code. */
export function buildIfStale(root: string, log: (msg: string) => void): void {
	const handler = path.join(root, 'build', 'handler.js');
	const builtAt = existsSync(handler) ? statSync(handler).mtimeMs : 0;
	const changedAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
	if (builtAt > changedAt) return;
	log('Đang biên dịch ứng dụng (vite build)…');
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('vite build failed');
}
