/**
 * Code and tests cite docs/domain.md for the rules they implement (quorum, pass rules, secret ballots…). The file
 * was once cited but missing from the repository (issue 21): every `docs/<name>.md` cited in the sources must exist,
 * and domain.md must keep the sections the citations point to.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SOURCE_DIRS = ['app', 'db', 'signing', 'media', 'tests', 'scripts', 'bench'];
const SKIP = new Set(['node_modules', '.tmp', 'build', '.svelte-kit', 'results']);

function* sources(dir: string): Generator<string> {
	for (const e of readdirSync(dir, { withFileTypes: true })) {
		if (SKIP.has(e.name)) continue;
		const p = path.join(dir, e.name);
		if (e.isDirectory()) yield* sources(p);
		else if (/\.(ts|js|mjs|svelte|sh)$/.test(e.name)) yield p;
	}
}

describe('docs cited by the code', () => {
	it('every docs/<name>.md cited in a source file exists', () => {
		const missing: string[] = [];
		let domainCitations = 0;
		for (const dir of SOURCE_DIRS) {
			for (const file of sources(path.join(ROOT, dir))) {
				for (const [, doc] of readFileSync(file, 'utf8').matchAll(/\bdocs\/([\w-]+\.md)\b/g)) {
					if (doc === 'domain.md') domainCitations++;
					if (!existsSync(path.join(ROOT, 'docs', doc))) missing.push(`${path.relative(ROOT, file)}: docs/${doc}`);
				}
			}
		}
		expect(missing).toEqual([]);
		// The rules' sources do cite it (pass-rule.ts, quorum.ts, tally.ts and others).
		expect(domainCitations).toBeGreaterThanOrEqual(5);
	});

	it('docs/domain.md covers roles, sittings, quorum and pass rules with their legal sources, secret ballots, resolutions', () => {
		const doc = readFileSync(path.join(ROOT, 'docs/domain.md'), 'utf8');
		const headings = [...doc.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
		expect(headings).toEqual([
			'Who and where',
			'People and roles',
			'A sitting (kỳ họp)',
			'Resolutions (nghị quyết)',
			'Around the sittings',
			'Legal sources',
			'What the code implements, and where'
		]);
		// The example the pass-rule tests are named after.
		expect(doc).toContain('Example: 30 seated, 21 present, 15 yes → fails (15 is not more than 15); 16 yes → passes.');
		// Every file the implementation section names exists.
		const section = doc.slice(doc.indexOf('## What the code implements, and where'));
		const named = [...section.matchAll(/`((?:app|db|signing|docs)\/[\w./-]+\.(?:ts|md))`/g)].map((m) => m[1]);
		expect(named.length).toBeGreaterThanOrEqual(10);
		expect(named.filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
	});
});
