import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Builder } from '@sveltejs/kit';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT_ENTRIES, builtEntryFile } from '../../scripts/built-entries.mjs';
import { compileEntry, withBuiltEntries } from '../../scripts/compile-entry.mjs';

// Issue 20: the launcher and the workers are compiled with the build (svelte.config.js wraps the adapter), from the
// sources as they are at that build: a file an earlier build left is replaced, never served stale. Into a scratch
// folder, not build/: no build lock needed.

const ROOT = path.resolve(import.meta.dirname, '../..');
const OUT = path.join(ROOT, 'tests/.tmp', `built-entries-${process.pid}`);
afterAll(() => rmSync(OUT, { recursive: true, force: true }));

describe('the entries compiled by the build', () => {
	it('are written after the adapter, one plain module per entry, over what an earlier build left', async () => {
		const launcher = builtEntryFile(OUT, 'scripts/start.ts');
		mkdirSync(path.dirname(launcher), { recursive: true });
		writeFileSync(launcher, "console.log('an earlier build');\n");
		const order: string[] = [];
		const adapter = withBuiltEntries({ name: 'probe', adapt: async () => void order.push('adapter') }, OUT);
		await adapter.adapt({ log: { minor: () => order.push('entries') } } as unknown as Builder);

		expect(order).toEqual(['adapter', 'entries']);
		expect(launcher).toBe(path.join(OUT, 'entries/scripts/start.mjs'));
		for (const source of BUILT_ENTRIES) {
			const code = readFileSync(builtEntryFile(OUT, source), 'utf8');
			// Bundled from the project's TypeScript, packages left as imports: no compiler or loader among them.
			expect(code).not.toMatch(/from ["'](esbuild|tsx)(\/[^"']*)?["']/);
			expect(code).not.toMatch(/^\s*import type /m);
		}
		const compiled = readFileSync(launcher, 'utf8');
		expect(compiled).not.toContain('an earlier build');
		// The same module the sources give now (compiled apart, named by its content).
		const now = await compileEntry({ root: ROOT, entry: path.join(ROOT, 'scripts/start.ts'), folder: 'nghi-truong-so-test-built-entries', prefix: 'start' });
		expect(compiled).toBe(readFileSync(now, 'utf8'));
	});
});
