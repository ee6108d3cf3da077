// Preloaded into a process under test (`node --import ./tests/helpers/deny-dev-tools.mjs`): esbuild and tsx become
// unresolvable there and in its worker threads (they inherit the preload), and every attempt to load one is
// appended to the file DENIED_LOG names. A test then shows what the app ran without them.
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';
import { denied } from './deny-dev-tools-hooks.mjs';

const log = process.env.DENIED_LOG;
if (!log) throw new Error('deny-dev-tools.mjs: set DENIED_LOG');

// import and import(): a resolve hook (its own thread, so it logs for itself).
register('./deny-dev-tools-hooks.mjs', import.meta.url);

// require(), which Node 20's hooks do not see.
const M = /** @type {{ _resolveFilename: (request: string, ...rest: unknown[]) => string }} */ (/** @type {unknown} */ (Module));
const resolveFilename = M._resolveFilename;
M._resolveFilename = function (request, ...rest) {
	const file = denied(request) ? request : resolveFilename.call(this, request, ...rest);
	if (denied(file)) {
		appendFileSync(log, `require ${request}\n`);
		throw Object.assign(new Error(`Cannot find module '${request}' (denied: a development tool)`), { code: 'MODULE_NOT_FOUND' });
	}
	return file;
};
