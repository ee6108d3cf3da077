// `npm start`. The launcher is TypeScript (scripts/start.ts), but it must not run under tsx's loader: Node 20
// runs module hooks on a separate thread, and SvelteKit imports route modules on every request, so each request
// would pay a round trip to that thread (about a tenth of the server's CPU under load). The launcher is
// therefore compiled with esbuild (the one tsx itself uses) into a plain module, then run without any hooks.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compileEntry } from './compile-entry.mjs';

const root = path.resolve(import.meta.dirname, '..');
const outfile = await compileEntry({ root, entry: path.join(root, 'scripts', 'start.ts'), folder: 'nghi-truong-so', prefix: 'start' });
process.env.NTS_ROOT = root;
await import(pathToFileURL(outfile).href);
