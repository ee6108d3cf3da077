import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The import boundaries of eslint.config.js fire on a crossing (so `npm run lint` fails) and stay quiet otherwise.
// The snippets are linted under real paths of each layer; type-aware parsing is off (not needed for imports).

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({
	cwd: root,
	overrideConfig: {
		languageOptions: { parserOptions: { projectService: false } },
		rules: { '@typescript-eslint/no-floating-promises': 'off' }
	}
});

/** The messages of the import rule for `code` placed at `filePath`. */
async function crossings(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(code, { filePath: `${root}/${filePath}` });
	return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layers (eslint.config.js)', () => {
	it('db/ never imports from app/', async () => {
		expect(await crossings('db/seed/probe.ts', "import { searchName } from '../../app/lib/text/search-name.js';\nsearchName('x');\n")).toEqual([
			expect.stringContaining('db/ does not import from app/')
		]);
		expect(await crossings('db/probe.ts', "import { log } from '$lib/server/log';\nlog.info('x');\n")).toEqual([expect.stringContaining('db/ does not import from app/')]);
		expect(await crossings('db/seed/probe.ts', "import { searchName } from '../search-name.js';\nsearchName('x');\n")).toEqual([]);
		// One folder up, and a type only: the crossings the secrets loader once made (db/bootstrap.ts, the seed).
		expect(await crossings('db/probe.ts', "import { storedSecret } from '../app/lib/server/secrets.js';\nstoredSecret('x');\n")).toEqual([
			expect.stringContaining('db/ does not import from app/')
		]);
		expect(await crossings('db/seed/probe.ts', "import type { AppError } from '../../app/lib/server/errors.js';\nexport type X = AppError;\n")).toEqual([
			expect.stringContaining('db/ does not import from app/')
		]);
		expect(await crossings('db/seed/probe.ts', "import { storedSecret } from '../stored-secret.js';\nstoredSecret('x');\n")).toEqual([]);
	});

	it('no file under db/ crosses into app/, not even under an eslint-disable comment', async () => {
		// Inline configuration ignored: an exemption written into a file does not hide its crossing from this test.
		const strict = new ESLint({
			cwd: root,
			overrideConfig: {
				linterOptions: { noInlineConfig: true },
				languageOptions: { parserOptions: { projectService: false } },
				rules: { '@typescript-eslint/no-floating-promises': 'off' }
			}
		});
		const results = await strict.lintFiles(['db/**/*.ts']);
		expect(results.length).toBeGreaterThan(10);
		const found = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${r.filePath.slice(root.length)}:${m.line} ${m.message}`));
		expect(found).toEqual([]);
	});

	it('the database is imported one way: by relative path, never through $db', async () => {
		expect(await crossings('app/lib/server/probe.ts', "import type { Db } from '$db/client.js';\nexport type X = Db;\n")).toEqual([expect.stringContaining('relative path')]);
		expect(await crossings('app/lib/server/probe.ts', "import type { Db } from '../../../db/client.js';\nexport type X = Db;\n")).toEqual([]);
	});

	it('browser code never imports $lib/server, not even a type', async () => {
		const message = expect.stringContaining('Browser code does not import $lib/server');
		expect(await crossings('app/lib/monitor/probe.ts', "import type { MonitorRow } from '$lib/server/monitor/overview';\nexport type X = MonitorRow;\n")).toEqual([message]);
		expect(await crossings('app/lib/monitor/probe.ts', "import type { MonitorRow } from '../server/monitor/overview';\nexport type X = MonitorRow;\n")).toEqual([message]);
		expect(await crossings('app/routes/probe/+page.ts', "export { x } from '../../lib/server/log';\n")).toEqual([message]);
		expect(await crossings('app/lib/monitor/probe.ts', "import type { MonitorRow } from './types';\nexport type X = MonitorRow;\n")).toEqual([]);
	});

	it('services under app/lib/server never import the API layer, not even a type; the API layer imports them', async () => {
		const message = expect.stringContaining('do not import the API layer');
		expect(await crossings('app/lib/server/votes/probe.ts', "import { AppError } from '../api/errors';\nexport const e = new AppError('CONFLICT', 'VOTE_CLOSED');\n")).toEqual([message]);
		expect(await crossings('app/lib/server/media/probe.ts', "import type { CouncilScope } from '../api/procedures';\nexport type X = CouncilScope;\n")).toEqual([message]);
		expect(await crossings('app/lib/server/probe.ts', "import { serverCaller } from './api/caller';\nexport const c = serverCaller;\n")).toEqual([message]);
		expect(await crossings('app/lib/server/sittings/probe.ts', "import { t } from '$lib/server/api/init';\nexport const x = t;\n")).toEqual([message]);
		expect(await crossings('app/lib/server/votes/probe.ts', "import { AppError } from '../errors';\nimport { READERS } from '../auth/council-access';\nexport const x = [AppError, READERS];\n")).toEqual([]);
		expect(await crossings('app/lib/server/api/routers/probe.ts', "import { AppError } from '../../errors';\nimport { t } from '../init';\nexport const x = [AppError, t];\n")).toEqual([]);
		expect(await crossings('app/routes/probe/+server.ts', "import { serverCaller } from '$lib/server/api/caller';\nexport const c = serverCaller;\n")).toEqual([]);
	});

	it('server code may import $lib/server', async () => {
		for (const filePath of ['app/lib/server/probe.ts', 'app/routes/probe/+page.server.ts', 'app/routes/probe/+server.ts', 'app/lib/sittings/probe.server.ts']) {
			expect(await crossings(filePath, "import { log } from '$lib/server/log';\nlog.info('x');\n")).toEqual([]);
		}
	});
});
