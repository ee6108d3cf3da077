// `npm start`. The launcher is TypeScript (scripts/start.ts), but it must not run under tsx's loader: Node 20
// runs module hooks on a separate thread, and SvelteKit imports route modules on every request, so each request
// would pay a round trip to that thread (about a tenth of the server's CPU under load). The launcher is
// therefore compiled with esbuild (the one tsx itself uses) into a plain module, then run without any hooks.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');
const outdir = path.join(root, 'node_modules', '.cache', 'nghi-truong-so');
mkdirSync(outdir, { recursive: true });
const outfile = path.join(outdir, 'start.mjs');
await build({
	entryPoints: [path.join(root, 'scripts', 'start.ts')],
	outfile,
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	logLevel: 'warning',
	// Packages stay imports resolved from node_modules; only the project's own TypeScript is compiled in.
	banner: { js: "import { createRequire as __ntsRequire } from 'node:module'; const require = __ntsRequire(import.meta.url);" }
});
process.env.NTS_ROOT = root;
await import(pathToFileURL(outfile).href);
