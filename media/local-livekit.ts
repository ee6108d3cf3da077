/**
 * A real LiveKit server run as a child process: the embedded video server of `npm start` (like the embedded
 * PostgreSQL), and the one the tests and benchmarks talk to. The binary is the pinned release built by
 * `npm run livekit:install` into tools/livekit/. Everything listens on loopback only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface LocalLiveKitOptions {
	/** signalling WebSocket and the room service API */
	port: number;
	/** ICE over TCP, and the one multiplexed UDP port for media */
	rtcTcpPort: number;
	rtcUdpPort: number;
	apiKey: string;
	apiSecret: string;
	/** where LiveKit posts its signed webhooks (the app's /api/livekit/webhook) */
	webhookUrls?: string[];
	/** host:port of a Redis shared by several nodes (a cluster); unset for a single node */
	redisAddress?: string;
	/** how long a participant whose connection dropped stays in the room (LiveKit's default: 20 s) */
	departureTimeoutSeconds?: number;
	/** the config file written for this server (it holds the secret: mode 0600); its pid file goes beside it */
	configFile: string;
	binary?: string;
	/** each line LiveKit logs (JSON) */
	log?: (line: string) => void;
}

export interface LocalLiveKit {
	/** what browsers connect to */
	url: string;
	apiKey: string;
	apiSecret: string;
	process: ChildProcess;
	stop: () => Promise<void>;
}

// The launcher runs this file compiled elsewhere and says where the project is (NTS_ROOT).
const projectRoot = () => process.env.NTS_ROOT ?? path.resolve(import.meta.dirname, '..');

/** The pinned version, from package.json (`config.livekitVersion`): the install script reads the same field. */
export function liveKitVersion(): string {
	return (JSON.parse(readFileSync(path.join(projectRoot(), 'package.json'), 'utf8')) as { config: { livekitVersion: string } }).config.livekitVersion;
}

/** The installed binary, or null when `npm run livekit:install` has not built it. */
export function liveKitBinary(): string | null {
	const file = path.join(projectRoot(), 'tools', 'livekit', 'livekit-server');
	return existsSync(file) ? file : null;
}

/** The pid file of the server started with this config file (the e2e tests read it to kill the server). */
export function liveKitPidFile(configFile: string): string {
	return configFile.replace(/\.[a-z]+$/, '') + '.pid';
}

/** A server left running by a launcher that was killed (SIGKILL) would hold the ports. */
function stopOrphan(pidFile: string): void {
	if (!existsSync(pidFile)) return;
	const pid = Number(readFileSync(pidFile, 'utf8').trim());
	rmSync(pidFile, { force: true });
	if (!pid) return;
	try {
		if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('livekit-server')) return; // the pid was reused
		process.kill(pid, 'SIGKILL');
	} catch {
		// already gone
	}
}

/**
 * The codecs LiveKit offers: what livekit-client publishes (Opus with RED, VP8 with retransmission). LiveKit's
 * default list adds G.711, H.264, VP9, AV1 and H.265, and every offer repeats it in each of a connection's media
 * sections; the chair's connection in a conference has some thirty, renegotiated at every floor handover.
 * docker-compose.yml's config carries the same list.
 */
export const ENABLED_CODECS = [{ mime: 'audio/opus' }, { mime: 'audio/red' }, { mime: 'video/vp8' }, { mime: 'video/rtx' }];

/**
 * LiveKit's YAML config (JSON is YAML). Loopback only: no STUN lookup of a public address, candidates on
 * 127.0.0.1. Node limits off: a 2-core machine under a test load would otherwise refuse new rooms (its default
 * selector skips nodes above 70 % system load) or tracks (400 per core).
 */
export function liveKitConfig(options: LocalLiveKitOptions): Record<string, unknown> {
	return {
		port: options.port,
		bind_addresses: ['127.0.0.1'],
		rtc: {
			tcp_port: options.rtcTcpPort,
			udp_port: options.rtcUdpPort,
			use_external_ip: false,
			node_ip: '127.0.0.1',
			enable_loopback_candidate: true,
			ips: { includes: ['127.0.0.1/32'] },
			// Clients are told of no STUN server (none is reachable from a loopback-only server).
			stun_servers: []
		},
		keys: { [options.apiKey]: options.apiSecret },
		...(options.webhookUrls?.length ? { webhook: { api_key: options.apiKey, urls: options.webhookUrls } } : {}),
		...(options.redisAddress ? { redis: { address: options.redisAddress } } : {}),
		room: { empty_timeout: 300, departure_timeout: options.departureTimeoutSeconds ?? 20, enabled_codecs: ENABLED_CODECS },
		// In a cluster a new room goes to the node with the fewest rooms.
		node_selector: { kind: 'any', sort_by: 'rooms' },
		limit: { num_tracks: -1, bytes_per_sec: 0 },
		logging: { json: true, level: 'info' }
	};
}

function listening(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('error', () => resolve(false));
	});
}

export async function startLocalLiveKit(options: LocalLiveKitOptions): Promise<LocalLiveKit> {
	const binary = options.binary ?? liveKitBinary();
	if (!binary) throw new Error('LiveKit is not installed: run `npm run livekit:install`');
	// Another server on the port would answer the readiness check below in our server's place.
	if (await listening(options.port)) throw new Error(`port ${options.port} is already in use`);
	mkdirSync(path.dirname(options.configFile), { recursive: true, mode: 0o700 });
	const pidFile = liveKitPidFile(options.configFile);
	stopOrphan(pidFile);
	writeFileSync(options.configFile, JSON.stringify(liveKitConfig(options), null, 2), { mode: 0o600 });
	const child = spawn(binary, ['--config', options.configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
	if (child.pid) writeFileSync(pidFile, String(child.pid));
	const log = options.log ?? (() => {});
	let exited: string | null = null;
	const exit = new Promise<void>((resolve) => {
		child.once('exit', (code, signal) => {
			exited = `LiveKit exited (${signal ?? code})`;
			rmSync(pidFile, { force: true });
			resolve();
		});
	});
	child.once('error', (err) => {
		exited = `LiveKit could not start (${err.message})`;
	});
	for (const stream of [child.stdout, child.stderr]) {
		let partial = '';
		stream.setEncoding('utf8');
		stream.on('data', (chunk: string) => {
			const lines = (partial + chunk).split('\n');
			partial = lines.pop() ?? '';
			for (const line of lines) if (line.trim()) log(line);
		});
	}
	const base = `http://127.0.0.1:${options.port}`;
	const deadline = Date.now() + 30_000;
	// Ready when its HTTP endpoint answers; a failed start (port taken, bad config) exits, which ends the wait.
	for (;;) {
		if (exited) throw new Error(`${exited} before it was ready`);
		try {
			if ((await fetch(base, { signal: AbortSignal.timeout(1000) })).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error('LiveKit did not become ready within 30 s');
		}
		await sleep(100);
	}
	return {
		url: `ws://127.0.0.1:${options.port}`,
		apiKey: options.apiKey,
		apiSecret: options.apiSecret,
		process: child,
		stop: async () => {
			if (exited) return;
			// The first signal asks LiveKit to drain its rooms (it may take long to exit even when idle); a second
			// one a moment later makes it close them and leave; a kill ends one that still hangs.
			child.kill('SIGTERM');
			const again = setTimeout(() => child.kill('SIGTERM'), 500);
			const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
			await exit;
			clearTimeout(again);
			clearTimeout(forced);
		}
	};
}
