// The project files that run as an entry of their own (the launcher is a process, workers are threads) and where
// the build puts them. `vite build` compiles each one with esbuild into <build>/entries/, beside SvelteKit's output
// (the adapter in svelte.config.js, scripts/compile-entry.mjs); the launcher and the worker pools run those plain
// modules, so nothing compiles at run time and esbuild and tsx stay development tools. No esbuild here: the running
// app imports this file (app/lib/server/worker-entry.ts).
import path from 'node:path';

/**
 * Entries compiled with the build, as project paths. A new worker source goes here, then is started through
 * workerEntry (app/lib/server/worker-entry.ts).
 * @type {readonly string[]}
 */
export const BUILT_ENTRIES = ['scripts/start.ts', 'app/lib/server/pdf-jobs/worker.ts', 'app/lib/server/secret-ballot/worker.ts'];

/** Where the build in `buildDir` keeps the compiled `source`: the same path under entries/, ending in .mjs. */
export function builtEntryFile(/** @type {string} */ buildDir, /** @type {string} */ source) {
	return path.join(buildDir, 'entries', source.replace(/\.ts$/, '.mjs'));
}

// A global, not a module variable: the launcher and the app's server bundle are separate module graphs.
const SERVED = Symbol.for('nghi-truong-so.served-build');
const slot = /** @type {{ [SERVED]?: string }} */ (globalThis);

/** Said by the launcher (scripts/start.mjs) before it runs: this process serves the build in `buildDir`. */
export function serveBuild(/** @type {string} */ buildDir) {
	slot[SERVED] = buildDir;
}

/** The build this process serves, whose compiled entries its workers run; undefined under Vitest and `npm run dev`. */
export function servedBuild() {
	return slot[SERVED];
}
