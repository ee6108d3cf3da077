// `npm start`'s video server: with LIVEKIT_URL unset and LiveKit installed (npm run livekit:install), a local
// LiveKit next to the app, like the embedded PostgreSQL. Loopback only; its key and secret are generated once
// and kept under DATA_DIR/secrets; its webhooks go to this app. The app then sees the usual LIVEKIT_* variables.
import path from 'node:path';
import { liveKitBinary, liveKitPidFile, startLocalLiveKit, type LocalLiveKit } from '../media/local-livekit.js';
import { storedSecret } from '../app/lib/server/secrets.js';

/** Where the embedded LiveKit's config file (and its pid file, beside it) lives for a data directory. */
export function embeddedLiveKitConfigFile(dataDir = process.env.DATA_DIR ?? '.data'): string {
	return path.resolve(dataDir, 'livekit', 'livekit.yaml');
}

/** The pid file of the embedded LiveKit of a data directory (the e2e tests stop the server through it). */
export function embeddedLiveKitPidFile(dataDir?: string): string {
	return liveKitPidFile(embeddedLiveKitConfigFile(dataDir));
}

export async function startEmbeddedLiveKit(opts: { appPort: number; appHost: string; log: (msg: string) => void }): Promise<LocalLiveKit | null> {
	if ((process.env.LIVEKIT_URL ?? '').trim()) return null; // an external server is configured
	if (process.env.LIVEKIT_EMBEDDED === '0') return null; // video off on purpose
	const binary = liveKitBinary();
	if (!binary) {
		opts.log('Truyền hình trực tuyến đang tắt: chưa cài LiveKit. Bật bằng: npm run livekit:install (cần Go), rồi khởi động lại.');
		return null;
	}
	const port = Number(process.env.LIVEKIT_PORT ?? 7880);
	const appHost = opts.appHost === '0.0.0.0' || opts.appHost === '::' ? '127.0.0.1' : opts.appHost;
	let server: LocalLiveKit;
	try {
		server = await startLocalLiveKit({
			binary,
			port,
			rtcTcpPort: port + 1,
			rtcUdpPort: port + 2,
			apiKey: `API${storedSecret('livekit-api-key', 6)}`,
			apiSecret: storedSecret('livekit-api-secret', 32),
			webhookUrls: [`http://${appHost}:${opts.appPort}/api/livekit/webhook`],
			configFile: embeddedLiveKitConfigFile(),
			// LiveKit logs every join and leave; only its warnings and errors reach the console.
			log: (line) => {
				if (/"level":"(warn|error|fatal)"/.test(line)) console.error(`[livekit] ${line}`);
			}
		});
	} catch (err) {
		// A taken port or a broken binary costs the video, never the sitting.
		opts.log(`Truyền hình trực tuyến đang tắt: không khởi động được LiveKit nhúng (${(err as Error).message.split('\n')[0]}).`);
		return null;
	}
	let stopping = false;
	server.process.once('exit', (code, signal) => {
		if (!stopping) opts.log(`LiveKit đã dừng bất thường (${signal ?? code}); truyền hình tạm ngừng, kỳ họp và biểu quyết vẫn tiếp tục.`);
	});
	process.env.LIVEKIT_URL = server.url;
	process.env.LIVEKIT_API_KEY = server.apiKey;
	process.env.LIVEKIT_API_SECRET = server.apiSecret;
	delete process.env.LIVEKIT_API_URL;
	opts.log(`LiveKit nhúng ${server.url} (truyền hình trực tuyến).`);
	return {
		...server,
		stop: async () => {
			stopping = true;
			await server.stop();
		}
	};
}
