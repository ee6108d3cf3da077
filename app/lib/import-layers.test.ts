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

	it('server code may import $lib/server', async () => {
		for (const filePath of ['app/lib/server/probe.ts', 'app/routes/probe/+page.server.ts', 'app/routes/probe/+server.ts', 'app/lib/sittings/probe.server.ts']) {
			expect(await crossings(filePath, "import { log } from '$lib/server/log';\nlog.info('x');\n")).toEqual([]);
		}
	});
});
