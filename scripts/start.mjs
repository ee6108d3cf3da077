// `npm start`. The launcher is TypeScript (scripts/start.ts), but it must not run under tsx's loader: Node 20
// runs module hooks on a separate thread, and SvelteKit imports route modules on every request, so each request
// would pay a round trip to that thread (about a tenth of the server's CPU under load). The launcher is
// therefore compiled with esbuild (the one tsx itself uses) into a plain module, then run without any hooks.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'node_modules', '.cache', 'nghi-truong-so');
mkdirSync(outdir, { recursive: true });
const result = await build({
	entryPoints: [path.join(root, 'scripts', 'start.ts')],
	bundle: true,
	write: false,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	// Packages stay imports resolved from node_modules; only the project's own TypeScript is compiled in.
	packages: 'external',
	logLevel: 'warning',
	banner: { js: "import { createRequire as __ntsRequire } from 'node:module'; const require = __ntsRequire(import.meta.url);" }
});
const code = result.outputFiles[0].contents;
// Named by content and written atomically: several instances may start at once (tests start two), and none
// may import a file another is still writing.
const outfile = path.join(outdir, `start-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
if (!existsSync(outfile)) {
	const partial = `${outfile}.${process.pid}.tmp`;
	writeFileSync(partial, code);
	renameSync(partial, outfile);
}
// Earlier versions of the launcher, left by edits, go once nobody can still be starting from them.
for (const name of readdirSync(outdir)) {
	const file = path.join(outdir, name);
	if (file !== outfile && Date.now() - statSync(file).mtimeMs > 3_600_000) rmSync(file, { force: true });
}
process.env.NTS_ROOT = root;
await import(pathToFileURL(outfile).href);
