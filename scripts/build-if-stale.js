// Plain JavaScript, not TypeScript: scripts/start.mjs runs it before there is a compiled launcher to run (and the
// benchmarks import it as '../scripts/build-if-stale').
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { BUILT_ENTRIES, builtEntryFile } from './built-entries.mjs';

/** What the build is made from: the app, the launcher and its scripts, the configuration, the locked packages. */
const SOURCES = ['app', 'db', 'media', 'signing', 'scripts', 'svelte.config.js', 'vite.config.ts', 'tsconfig.json', 'package-lock.json'];

/** @returns {number} */
function newestMtime(/** @type {string} */ entry) {
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

/**
 * When the build was finished: the oldest of SvelteKit's handler and the compiled entries (written after it), 0
 * when one is missing (no build yet, or a build that stopped half-way).
 */
function builtAt(/** @type {string} */ buildDir) {
	const files = [path.join(buildDir, 'handler.js'), ...BUILT_ENTRIES.map((source) => builtEntryFile(buildDir, source))];
	return files.every((file) => existsSync(file)) ? Math.min(...files.map((file) => statSync(file).mtimeMs)) : 0;
}

/**
 * Builds the app (SvelteKit and the compiled entries, scripts/built-entries.mjs) into build/ when there is none yet
 * or the sources changed since: `npm start` always serves current code, a fresh clone included.
 */
export function buildIfStale(/** @type {string} */ root, /** @type {(msg: string) => void} */ log) {
	const changedAt = Math.max(...SOURCES.map((s) => newestMtime(path.join(root, s))));
	if (builtAt(path.join(root, 'build')) > changedAt) return;
	log('Đang biên dịch ứng dụng (vite build)…');
	const result = spawnSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('vite build failed');
}
