import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, ENVIRONMENT_VARIABLES, readEnvironment } from './config';

const ROOT = path.resolve(import.meta.dirname, '../../..');
/** Where the app and its launchers live; tests, benchmarks and their helpers (`testing/` folders) have variables of their own. */
const SOURCES = ['app', 'db', 'media', 'signing', 'scripts/start.mjs', 'scripts/start.ts', 'scripts/dev.ts', 'scripts/embedded-livekit.ts', 'scripts/build-if-stale.js'];

function sourceFiles(entry: string): string[] {
	const full = path.join(ROOT, entry);
	if (!statSync(full).isDirectory()) return [full];
	return readdirSync(full).flatMap((child) => {
		if (child === 'node_modules' || child === 'testing' || child.startsWith('.')) return [];
		const relative = path.join(entry, child);
		if (statSync(path.join(ROOT, relative)).isDirectory()) return sourceFiles(relative);
		return /\.(ts|mjs|js|svelte)$/.test(child) && !/\.test\.ts$/.test(child) ? [path.join(ROOT, relative)] : [];
	});
}

function variablesRead(): Set<string> {
	const names = new Set<string>();
	for (const file of SOURCES.flatMap(sourceFiles)) {
		for (const match of readFileSync(file, 'utf8').matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[['"]([A-Z][A-Z0-9_]*)['"]\])/g)) names.add(match[1] ?? match[2]);
	}
	return names;
}

/** The names in the README's configuration table (a row may name two: "`A` / `B`" or "`A`, `B`"). */
function variablesDocumented(): Set<string> {
	const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
	const table = readme.slice(readme.indexOf('## Configuration'));
	const rows = table.slice(0, table.indexOf('\n\n', table.indexOf('| --- |'))).split('\n').filter((line) => line.startsWith('| `'));
	return new Set(rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1])));
}

describe('the configuration module', () => {
	it('lists every variable the app and its launchers read', () => {
		const missing = [...variablesRead()].filter((name) => !ENVIRONMENT_VARIABLES.includes(name as (typeof ENVIRONMENT_VARIABLES)[number]));
		expect(missing).toEqual([]);
	});

	it('is the README’s configuration table, name for name', () => {
		expect([...variablesDocumented()].sort()).toEqual([...ENVIRONMENT_VARIABLES].sort());
	});

	it('accepts the defaults (nothing set) and typical values, empty counting as unset', () => {
		expect(readEnvironment({})).toEqual({});
		expect(readEnvironment({ PORT: '3000', DB_POOL_SIZE: '20', DEMO: '1', TERM_START: '2025-07-01T00:00:00+07:00', LIVEKIT_URL: '', ORIGIN: 'https://hdnd.example.vn' })).toEqual({
			PORT: 3000,
			DB_POOL_SIZE: 20,
			DEMO: '1',
			TERM_START: '2025-07-01T00:00:00+07:00',
			ORIGIN: 'https://hdnd.example.vn'
		});
	});

	it('refuses wrong values, naming each one in Vietnamese', () => {
		let error: unknown;
		try {
			readEnvironment({ PORT: 'ba nghìn', DB_POOL_SIZE: '0', DEMO: 'yes', TERM_START: '01/07/2025', DATABASE_URL: 'mysql://x', SERVER_SECRET: 'ngan', ORIGIN: 'hdnd.example.vn', BODY_SIZE_LIMIT: '21 MB' });
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(ConfigurationError);
		const problems = (error as ConfigurationError).problems.map((p) => p.slice(0, p.indexOf('=')));
		expect(problems.sort()).toEqual(['BODY_SIZE_LIMIT', 'DATABASE_URL', 'DB_POOL_SIZE', 'DEMO', 'ORIGIN', 'PORT', 'SERVER_SECRET', 'TERM_START']);
		expect((error as ConfigurationError).message).toMatch(/^Cấu hình không hợp lệ:/);
	});
});
