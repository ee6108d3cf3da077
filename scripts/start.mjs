// `npm start`. The launcher is TypeScript (scripts/start.ts), compiled with the app by `vite build` into
// build/entries (scripts/built-entries.mjs): this file builds when the build is missing or older than the sources,
// then runs the compiled launcher of the build it serves. No compiler is loaded at run time, and no loader hooks:
// those would cost every request a round trip to their thread (scripts/compile-entry.mjs says why).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildIfStale } from './build-if-stale.js';
import { builtEntryFile, serveBuild } from './built-entries.mjs';

const root = path.resolve(import.meta.dirname, '..');
const say = (/** @type {string} */ msg) => console.log(`[nghị-trường-số] ${msg}`);
// The compiled launcher runs from build/: this says where the project is (for tools/livekit, media/local-livekit.ts).
process.env.NTS_ROOT = root;
// Before the launcher's own checks (configuration, database): the launcher is part of what gets built. A build
// with sources newer than it is rebuilt whatever BUILD_DIR serves, as before.
if (process.env.SKIP_BUILD !== '1') buildIfStale(root, say);

// BUILD_DIR lets a benchmark serve a private copy of the build while the tree is rebuilt; the copy carries its own
// launcher and workers.
const buildDir = path.resolve(root, process.env.BUILD_DIR ?? 'build');
const launcher = builtEntryFile(buildDir, 'scripts/start.ts');
if (!existsSync(launcher)) {
	console.error(`Không có bản biên dịch tại ${buildDir} (thiếu ${path.relative(root, launcher)}): chạy npm run build, hoặc npm start không có SKIP_BUILD=1.`);
	process.exit(1);
}
serveBuild(buildDir);
await import(pathToFileURL(launcher).href);
