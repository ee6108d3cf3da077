/**
 * The file a worker thread runs for one of the project's worker sources (listed in scripts/built-entries.mjs).
 *
 * A worker cannot run its `.ts` source the way the app was loaded: from the build, the app is Vite's server bundle
 * (adapter-node follows imports, not `new URL(…, import.meta.url)`, so no worker entry survives in it); under
 * Vitest and `npm run dev`, source modules pass through Vite's transformer, which a worker thread does not have.
 * So every worker runs one plain module compiled by esbuild: by `vite build`, beside the build that the launcher
 * serves (and says so: scripts/start.mjs), so the running app compiles nothing; without a served build, compiled on
 * first use into node_modules/.cache (esbuild is a development tool, present wherever Vite is).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { BUILT_ENTRIES, builtEntryFile, servedBuild } from '../../../scripts/built-entries.mjs';

/**
 * `source`: a project path in BUILT_ENTRIES, e.g. 'app/lib/server/pdf-jobs/worker.ts'; `cacheFolder`: where under
 * node_modules/.cache a compile on first use goes (one per source: compileEntry removes a folder's old versions).
 */
export async function workerEntry(source: string, cacheFolder = path.join('nghi-truong-so-entries', source.replace(/\.ts$/, ''))): Promise<string> {
	if (!BUILT_ENTRIES.includes(source)) throw new Error(`${source} is not a built entry: add it to scripts/built-entries.mjs`);
	const build = servedBuild();
	if (build) {
		const file = builtEntryFile(build, source);
		if (!existsSync(file)) throw new Error(`${file} is missing: the build is incomplete (npm run build)`);
		return file;
	}
	// The launcher says where the project is; Vitest and the dev server run in it.
	const root = process.env.NTS_ROOT ?? process.cwd();
	const entry = path.join(root, source);
	if (!existsSync(entry)) throw new Error(`worker source not found at ${entry} (set NTS_ROOT to the project folder)`);
	const { compileEntry } = await import('../../../scripts/compile-entry.mjs');
	return compileEntry({ root, entry, folder: cacheFolder, prefix: 'worker' });
}
