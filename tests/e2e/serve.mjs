// Starts the built app for e2e tests on a fresh embedded PostgreSQL with demo data (or DATABASE_URL).
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

const dataDir = 'tests/.tmp/e2e';
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
	stdio: 'inherit',
	env: { ...process.env, DATA_DIR: dataDir, EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54388', DEMO: '1', SKIP_BUILD: '1' }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
