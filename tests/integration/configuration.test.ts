import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// `npm start` checks its environment before it starts anything (app/lib/server/config.ts).
describe('the launcher’s configuration check', () => {
	it('stops at once on a wrong value, naming it, before any database is started', () => {
		const root = path.resolve(import.meta.dirname, '../..');
		const run = spawnSync(process.execPath, ['scripts/start.mjs'], {
			cwd: root,
			// SKIP_BUILD: the check is the compiled launcher's first step, after scripts/start.mjs's rebuild of a stale build.
			env: { ...process.env, SKIP_BUILD: '1', DATABASE_URL: '', DATA_DIR: path.join(root, 'tests/.tmp/config-never-created'), DB_POOL_SIZE: '0', PORT: 'ba nghìn' },
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(run.status).toBe(1);
		const lines = run.stderr.trim().split('\n');
		expect(lines[0]).toBe('Cấu hình không hợp lệ:');
		expect(lines.slice(1).map((line) => line.trim().slice(2, line.trim().indexOf('=')))).toEqual(['PORT', 'DB_POOL_SIZE']);
		expect(run.stdout).not.toContain('PostgreSQL');
	});
});
