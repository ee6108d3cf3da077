import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LEAN_SCREENS, partsFor } from './parts';
import { partOf, pick } from './split';
import { vi } from './vi';

const root = path.resolve(import.meta.dirname, '../../../..');
const routeFile = (routeId: string) => path.join(root, 'app/routes', routeId, '+page.svelte');

/** The project's source files a module imports (statically or with import()), followed through the whole graph. */
function sourcesFrom(entries: string[]): string[] {
	const seen = new Set<string>();
	const resolve = (spec: string, from: string): string | null => {
		const base = spec.startsWith('$lib/') ? path.join(root, 'app/lib', spec.slice(5)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null;
		if (!base) return null;
		for (const candidate of [base, `${base}.ts`, `${base}.svelte`, `${base}/index.ts`]) if (existsSync(candidate) && !candidate.endsWith('/')) return candidate;
		return null;
	};
	const visit = (file: string) => {
		// Server modules (reached through type imports) never run in the browser.
		if (seen.has(file) || !/\.(ts|svelte)$/.test(file) || file.includes(`${path.sep}server${path.sep}`)) return;
		seen.add(file);
		const text = readFileSync(file, 'utf8').replace(/(?:import|export)\s+type\s[^;]*?from\s*'[^']+'/gs, '');
		for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
			const target = resolve(m[1], file);
			if (target) visit(target);
		}
	};
	entries.forEach(visit);
	return [...seen];
}

describe('the browser dictionary parts', () => {
	it('puts every text in exactly one part, and the lean screens lose no text the others have', () => {
		const parts = (['common', 'video', 'elsewhere'] as const).map((p) => pick(vi, p));
		expect(parts.reduce((n, p) => n + Object.keys(p).length, 0)).toBe(Object.keys(vi).length);
		expect(Object.assign({}, ...parts)).toEqual(vi);
	});

	it('sorts keys by area', () => {
		expect(partOf('sui.castVote')).toBe('common');
		expect(partOf('resolution.action.draft')).toBe('common');
		expect(partOf('resolution.status.draft')).toBe('elsewhere');
		expect(partOf('monitor.title')).toBe('elsewhere');
		expect(partOf('video.sitting.join')).toBe('common');
		expect(partOf('video.status.connecting')).toBe('video');
		expect(partOf('WRONG_PASSPHRASE')).toBe('elsewhere');
	});

	it('gives the lean screens the common texts only, every other page everything', () => {
		expect(partsFor('/(app)/sittings/[sittingId=uuid]')).toEqual(['common']);
		expect(partsFor('/(app)/sittings/[sittingId=uuid]/chair')).toEqual(['common', 'video', 'elsewhere']);
		expect(partsFor('/(app)/monitor')).toEqual(['common', 'video', 'elsewhere']);
		expect(partsFor(null)).toEqual(['common', 'video', 'elsewhere']);
	});

	// A text a lean screen shows but the build put in another part would show as its key: every key (or key prefix,
	// as in 'sui.itemKind.' + kind) written in the sources those screens import must be in the common part; the video
	// components bring the video part along (SittingVideo).
	it.each(LEAN_SCREENS)('%s: every text its sources name is in a part it loads', (routeId) => {
		const layout = path.join(root, 'app/routes/+layout.svelte');
		const files = sourcesFrom([layout, path.join(root, 'app/routes/+error.svelte'), routeFile(routeId)]);
		expect(files.length).toBeGreaterThan(10);
		const keys = Object.keys(vi);
		const wrong: string[] = [];
		for (const file of files) {
			const allowed = file.includes(`${path.sep}video${path.sep}`) ? ['common', 'video'] : ['common'];
			for (const m of readFileSync(file, 'utf8').matchAll(/['"`]([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)*\.?)/g)) {
				const literal = m[1];
				const named = literal.endsWith('.') ? keys.filter((k) => k.startsWith(literal)) : keys.includes(literal) ? [literal] : [];
				for (const key of named) if (!allowed.includes(partOf(key))) wrong.push(`${path.relative(root, file)}: ${key} (${partOf(key)})`);
			}
		}
		expect(wrong).toEqual([]);
	});
});
