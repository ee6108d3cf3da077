import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer } from '../helpers/app-server';

// Issue 20: the launcher and the worker threads are compiled by the build (scripts/built-entries.mjs), so the app
// started from the build loads neither esbuild nor tsx: both are development tools. Shown by making them
// unresolvable in the app's process and its worker threads (tests/helpers/deny-dev-tools.mjs), which logs every
// attempt. Needs the build (npx vite build): run under the build lock.

const ROOT = path.resolve(import.meta.dirname, '../..');
const PRELOAD = path.join(ROOT, 'tests/helpers/deny-dev-tools.mjs');
const DIR = path.join(ROOT, 'tests/.tmp', `no-dev-tools-${process.pid}`);

function attempts(log: string): string[] {
	return existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').filter(Boolean) : [];
}

beforeAll(() => mkdirSync(DIR, { recursive: true }));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

describe('the app from the build runs without esbuild and tsx', () => {
	it('the guard refuses both, by import and by require, and logs each attempt', () => {
		const log = path.join(DIR, 'guard.log');
		const probe = [
			"import { createRequire } from 'node:module';",
			"const results = [];",
			"for (const load of [() => import('esbuild'), () => import('tsx/esm/api'), async () => createRequire(import.meta.url)('esbuild')]) {",
			"  results.push(await load().then(() => 'loaded', (err) => err.code));",
			'}',
			'console.log(JSON.stringify(results));'
		].join('\n');
		const run = spawnSync(process.execPath, ['--import', PRELOAD, '--input-type=module', '-e', probe], { cwd: ROOT, env: { ...process.env, DENIED_LOG: log }, encoding: 'utf8' });
		expect(run.status).toBe(0);
		expect(JSON.parse(run.stdout)).toEqual(['ERR_MODULE_NOT_FOUND', 'ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);
		expect(attempts(log).map((line) => line.split(' ').slice(0, 2).join(' '))).toEqual(['import esbuild', 'import tsx/esm/api', 'require esbuild']);
	});

	it('starts, answers, verifies a PDF in a worker thread and stops, with no attempt to load either', async () => {
		const log = path.join(DIR, 'app.log');
		const app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, nodeArgs: ['--import', PRELOAD], env: { DENIED_LOG: log, PDF_WORKERS: '1' } });
		let code: number | null;
		try {
			expect((await fetch(`${app.url}/api/health`)).status).toBe(200);
			// Verification runs in the PDF worker pool: the worker's entry must come from the build too.
			const doc = await PDFDocument.create();
			doc.addPage().drawText('To trinh', { x: 40, y: 700, size: 12 });
			const res = await fetch(`${app.url}/api/verify`, { method: 'POST', body: Buffer.from(await doc.save()), headers: { 'content-type': 'application/pdf' } });
			expect(res.status).toBe(200);
			const report = await res.json();
			expect(report.signatures).toEqual([]);
			expect(report.registry).toEqual({ matches: false });
		} finally {
			code = await app.stop();
		}
		expect(code).toBe(0);
		expect(attempts(log)).toEqual([]);
	});
});
