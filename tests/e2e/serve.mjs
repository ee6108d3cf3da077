// Starts the built app for e2e tests on a fresh embedded PostgreSQL with demo data (or DATABASE_URL).
import { rmSync } from 'node:fs';
import { spawn } from 'node:child_process';

// One data directory per port, so two checkouts (or two runs on other ports) never share a database.
// DEMO=1: the tests sign in with the demo accounts, which `npm start` loads only when asked (issue 19).
const dataDir = `tests/.tmp/e2e-${process.env.PORT ?? '4173'}`;
rmSync(dataDir, { recursive: true, force: true });
const child = spawn(process.execPath, ['scripts/start.mjs'], {
	stdio: 'inherit',
	// LIVEKIT_* empty: the launcher starts its embedded LiveKit (on LIVEKIT_PORT), as `npm start` does.
	env: { ...process.env, LIVEKIT_URL: '', LIVEKIT_API_KEY: '', LIVEKIT_API_SECRET: '', LIVEKIT_API_URL: '', DATA_DIR: dataDir, EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54388', DEMO: '1', SKIP_BUILD: '1' }
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
