// Compiles a TypeScript entry (and the project files it imports) with esbuild into one plain ES module; packages
// stay imports resolved from node_modules. Why plain modules: the launcher must not run under tsx's loader (Node 20
// runs module hooks on a separate thread, and SvelteKit imports route modules on every request, so each request
// would pay a round trip to it: about a tenth of the server's CPU under load), and a worker thread has neither
// Vite's transformer nor the bundle the app was loaded from.
// Two uses, one esbuild setup: the build compiles every entry of scripts/built-entries.mjs beside its output
// (withBuiltEntries, for svelte.config.js), and without a build (Vitest, `npm run dev`) a worker's source is
// compiled on first use (compileEntry, through app/lib/server/worker-entry.ts). A development tool only: the app
// served from a build never loads this file.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { BUILT_ENTRIES, builtEntryFile } from './built-entries.mjs';

/** The entry as one ES module for Node 20, with a `require` for bundled CommonJS that asks for one. */
async function bundle(/** @type {string} */ entry) {
	const result = await build({
		entryPoints: [entry],
		bundle: true,
		write: false,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		packages: 'external',
		logLevel: 'warning',
		banner: { js: "import { createRequire as __ntsRequire } from 'node:module'; const require = __ntsRequire(import.meta.url);" }
	});
	return result.outputFiles[0].contents;
}

/** Writes through a temporary file: no process may import a file another is still writing. */
function writeAtomically(/** @type {string} */ file, /** @type {Uint8Array} */ code) {
	mkdirSync(path.dirname(file), { recursive: true });
	const partial = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
	writeFileSync(partial, code);
	renameSync(partial, file);
}

/**
 * Without a build: the entry under node_modules/.cache/<folder>/, named by its content, so several processes may
 * compile at once (test files, two app instances) and an edit gives a new file rather than a stale one.
 * @param {{ root: string; entry: string; folder: string; prefix: string }} opts
 * @returns {Promise<string>} the compiled file
 */
export async function compileEntry({ root, entry, folder, prefix }) {
	const code = await bundle(entry);
	const outdir = path.join(root, 'node_modules', '.cache', folder);
	const outfile = path.join(outdir, `${prefix}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
	if (!existsSync(outfile)) writeAtomically(outfile, code);
	// Earlier versions, left by edits, go once nobody can still be starting from them.
	for (const name of readdirSync(outdir)) {
		const file = path.join(outdir, name);
		if (file !== outfile && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
	}
	return outfile;
}

/** Build time: every entry of BUILT_ENTRIES into <buildDir>/entries/ (builtEntryFile). */
export async function compileBuiltEntries(/** @type {string} */ root, /** @type {string} */ buildDir) {
	for (const source of BUILT_ENTRIES) writeAtomically(builtEntryFile(buildDir, source), await bundle(path.join(root, source)));
}

/**
 * The adapter, then the entries into its output. Inside the adapter's folder on purpose: adapter-node empties it
 * first, so the entries are rebuilt with every build and never outlive the code they were compiled from, and a
 * copy of the build (BUILD_DIR) carries the launcher that matches it.
 * @param {import('@sveltejs/kit').Adapter} adapter
 * @param {string} out the adapter's output folder
 * @returns {import('@sveltejs/kit').Adapter}
 */
export function withBuiltEntries(adapter, out) {
	return {
		...adapter,
		async adapt(builder) {
			await adapter.adapt(builder);
			await compileBuiltEntries(path.resolve(import.meta.dirname, '..'), path.resolve(out));
			builder.log.minor(`Compiled ${BUILT_ENTRIES.join(', ')} into ${path.join(out, 'entries')}`);
		}
	};
}
