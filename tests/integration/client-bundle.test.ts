import { readFileSync } from 'node:fs';
import path from 'node:path';
import { brotliCompressSync, constants } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// Issue 23: the delegate's sitting page opens fast on a weak hall Wi-Fi. Read from the build's client manifest (the
// build `npm test` makes before this suite): what the page's first load fetches (the start entry, the app, its
// layouts and page, their static imports, and the texts the root layout loads for it) leaves out the video code and
// the other language, and stays within 80 KB of JavaScript compressed with brotli (bench/pages.ts measures the same
// in Chromium).

const root = path.resolve(import.meta.dirname, '../..');
const client = path.join(root, '.svelte-kit/output/client');
type Chunk = {
	file: string;
	name?: string;
	imports?: string[];
	dynamicImports?: string[];
	isEntry?: boolean;
};
const manifest = JSON.parse(readFileSync(path.join(client, '.vite/manifest.json'), 'utf8')) as Record<string, Chunk>;
const generated = '.svelte-kit/generated/client-optimized';
const app = readFileSync(path.join(root, generated, 'app.js'), 'utf8');

/** The client nodes (layouts, error page, page) a route loads, from the generated route dictionary. */
function nodesOf(routeId: string): number[] {
	const entry = new RegExp(`"${routeId.replace(/[[\]().*+?^$|\\/]/g, '\\$&')}": \\[~?(\\d+),\\[([\\d,]*)\\]`).exec(app);
	if (!entry) throw new Error(`route ${routeId} not in ${generated}/app.js`);
	return [0, 1, ...entry[2].split(',').filter(Boolean).map(Number), Number(entry[1])];
}

/** Manifest keys the first load fetches: the entries and every static import under them. */
function firstLoad(routeId: string): Set<string> {
	const seen = new Set<string>();
	const visit = (key: string) => {
		if (seen.has(key)) return;
		if (!manifest[key]) throw new Error(`${key} not in the manifest`);
		seen.add(key);
		for (const i of manifest[key].imports ?? []) visit(i);
	};
	const start = Object.keys(manifest).find((k) => k.endsWith('@sveltejs/kit/src/runtime/client/entry.js'))!;
	[start, `${generated}/app.js`, ...nodesOf(routeId).map((n) => `${generated}/nodes/${n}.js`), 'virtual:nts-texts/vi/common'].forEach(visit);
	return seen;
}

const brotli = (key: string) =>
	brotliCompressSync(readFileSync(path.join(client, manifest[key].file)), {
		params: { [constants.BROTLI_PARAM_QUALITY]: 11 }
	}).length;

describe("the delegate's sitting page in the build", () => {
	const delegate = firstLoad('/(app)/sittings/[sittingId=uuid]');
	const keys = [...delegate];

	it('loads no video code up front: livekit-client, the room and the video card come with a hybrid sitting or "join"', () => {
		const livekit = Object.keys(manifest).find((k) => k.includes('node_modules/livekit-client/'));
		expect(livekit).toBeDefined();
		expect(keys.filter((k) => k === livekit || k === 'app/lib/video/SittingVideo.svelte' || manifest[k].name === 'room')).toEqual([]);
		expect(manifest['app/lib/video/SittingVideo.svelte'].dynamicImports ?? []).not.toContain(livekit);
	});

	it('loads the Vietnamese texts of the sitting screens only, none in English and none of other pages', () => {
		expect(keys.filter((k) => k.startsWith('virtual:nts-texts/'))).toEqual(['virtual:nts-texts/vi/common']);
	});

	it('stays within 80 KB of JavaScript (brotli, quality 11)', () => {
		const bytes = keys.reduce((n, k) => n + brotli(k), 0);
		expect(bytes).toBeLessThanOrEqual(80 * 1024);
	});
});
