// Compiles one TypeScript entry (and the project files it imports) with esbuild into a plain ES module under
// node_modules/.cache/<folder>/, named by its content and written atomically: several processes may compile at
// once (test files, two app instances) and none may import a file another is still writing. Packages stay
// imports resolved from node_modules. Used by the launcher (scripts/start.mjs) and the PDF worker pool.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

/**
 * @param {{ root: string; entry: string; folder: string; prefix: string }} opts
 * @returns {Promise<string>} the compiled file
 */
export async function compileEntry({ root, entry, folder, prefix }) {
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
	const code = result.outputFiles[0].contents;
	const outdir = path.join(root, 'node_modules', '.cache', folder);
	mkdirSync(outdir, { recursive: true });
	const outfile = path.join(outdir, `${prefix}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
	if (!existsSync(outfile)) {
		const partial = `${outfile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
		writeFileSync(partial, code);
		renameSync(partial, outfile);
	}
	// Earlier versions, left by edits, go once nobody can still be starting from them.
	for (const name of readdirSync(outdir)) {
		const file = path.join(outdir, name);
		if (file !== outfile && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
	}
	return outfile;
}
