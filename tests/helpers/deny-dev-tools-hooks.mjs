// The resolve hook of ./deny-dev-tools.mjs: esbuild and tsx, by name or by a path into their packages.
import { appendFileSync } from 'node:fs';

const DEV_TOOLS = /^(esbuild|tsx|@esbuild\/[^/]+)(\/|$)|[/\\]node_modules[/\\](esbuild|tsx|@esbuild)[/\\]/;

/** Whether a specifier or a resolved file/URL is esbuild or tsx. */
export function denied(/** @type {string} */ specifierOrFile) {
	return DEV_TOOLS.test(specifierOrFile);
}

/**
 * @param {string} specifier
 * @param {{ parentURL?: string }} context
 * @param {(specifier: string, context: unknown) => Promise<{ url: string }>} nextResolve
 */
export async function resolve(specifier, context, nextResolve) {
	const found = denied(specifier) ? { url: specifier } : await nextResolve(specifier, context);
	if (denied(specifier) || denied(found.url)) {
		appendFileSync(/** @type {string} */ (process.env.DENIED_LOG), `import ${specifier} from ${context.parentURL ?? '(entry)'}\n`);
		throw Object.assign(new Error(`Cannot find package '${specifier}' (denied: a development tool)`), { code: 'ERR_MODULE_NOT_FOUND' });
	}
	return found;
}
