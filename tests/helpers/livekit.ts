// A real LiveKit server for a test file (the pinned build from `npm run livekit:install`), on free loopback ports.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import path from 'node:path';
import { AccessToken, TrackSource, type VideoGrant } from 'livekit-server-sdk';
import { startLocalLiveKit, type LocalLiveKit } from '../../media/local-livekit';
import { freePort } from './app-server';

const ROOT = path.resolve(import.meta.dirname, '../..');

function freeUdpPort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const socket = dgram.createSocket('udp4');
		socket.once('error', reject);
		socket.bind(0, '127.0.0.1', () => {
			const { port } = socket.address();
			socket.close(() => resolve(port));
		});
	});
}

export async function startTestLiveKit(
	options: { webhookUrls?: string[]; departureTimeoutSeconds?: number; redisAddress?: string; apiKey?: string; apiSecret?: string; port?: number; log?: (line: string) => void } = {}
): Promise<LocalLiveKit> {
	const port = options.port ?? (await freePort());
	let output = '';
	try {
		return await startLocalLiveKit({
			port,
			rtcTcpPort: await freePort(),
			rtcUdpPort: await freeUdpPort(),
			apiKey: options.apiKey ?? `APItest${randomBytes(4).toString('hex')}`,
			apiSecret: options.apiSecret ?? randomBytes(24).toString('hex'),
			webhookUrls: options.webhookUrls,
			redisAddress: options.redisAddress,
			departureTimeoutSeconds: options.departureTimeoutSeconds,
			configFile: path.join(ROOT, 'tests', '.tmp', 'livekit', `livekit-${process.pid}-${port}.yaml`),
			log: (line) => {
				if (output.length < 100_000) output += line + '\n';
				options.log?.(line);
			}
		});
	} catch (error) {
		throw new Error(`${(error as Error).message}\n${output}`);
	}
}

/** Points the in-process app (procedures called directly) at a LiveKit server, or switches video off. */
export function useLiveKit(server: { url: string; apiKey: string; apiSecret: string } | null): void {
	if (!server) {
		delete process.env.LIVEKIT_URL;
		delete process.env.LIVEKIT_API_KEY;
		delete process.env.LIVEKIT_API_SECRET;
		return;
	}
	process.env.LIVEKIT_URL = server.url;
	process.env.LIVEKIT_API_KEY = server.apiKey;
	process.env.LIVEKIT_API_SECRET = server.apiSecret;
}

/** A token made by the test itself, for a participant the app does not know (a bystander in the room). */
export async function testToken(server: LocalLiveKit, room: string, identity: string, grant: Partial<VideoGrant> = {}): Promise<string> {
	const at = new AccessToken(server.apiKey, server.apiSecret, { identity, ttl: 600 });
	at.addGrant({ room, roomJoin: true, canSubscribe: true, canPublish: true, canPublishSources: [TrackSource.CAMERA], ...grant });
	return at.toJwt();
}
