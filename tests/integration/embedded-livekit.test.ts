import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RoomServiceClient } from 'livekit-server-sdk';
import { startEmbeddedLiveKit } from '../../scripts/embedded-livekit';
import { freePort } from '../helpers/app-server';

// `npm start`'s video server: when it starts, what it keeps, and when it stays off (with the one line that says how
// to turn it on).

const saved = { ...process.env };
afterEach(() => {
	for (const key of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_PORT', 'LIVEKIT_EMBEDDED', 'DATA_DIR', 'NTS_ROOT']) {
		if (saved[key] === undefined) delete process.env[key];
		else process.env[key] = saved[key];
	}
});

function freshDataDir(): string {
	return mkdtempSync(path.join(os.tmpdir(), 'nts-embedded-livekit-'));
}

describe('the embedded LiveKit of npm start', () => {
	it('starts on loopback with a key and secret generated once under DATA_DIR/secrets, and the app sees it', async () => {
		process.env.DATA_DIR = freshDataDir();
		process.env.LIVEKIT_PORT = String(await freePort());
		delete process.env.LIVEKIT_URL;
		const lines: string[] = [];
		const server = await startEmbeddedLiveKit({ appPort: 3999, appHost: '0.0.0.0', log: (l) => lines.push(l) });
		try {
			expect(server).not.toBeNull();
			expect(process.env.LIVEKIT_URL).toBe(`ws://127.0.0.1:${process.env.LIVEKIT_PORT}`);
			const secretFile = path.join(process.env.DATA_DIR, 'secrets', 'livekit-api-secret');
			expect(statSync(secretFile).mode & 0o777).toBe(0o600);
			expect(process.env.LIVEKIT_API_SECRET).toBe(readFileSync(secretFile, 'utf8').trim());
			const config = JSON.parse(readFileSync(path.join(process.env.DATA_DIR, 'livekit', 'livekit.yaml'), 'utf8'));
			expect(config).toMatchObject({ bind_addresses: ['127.0.0.1'], webhook: { urls: ['http://127.0.0.1:3999/api/livekit/webhook'] } });
			expect(statSync(path.join(process.env.DATA_DIR, 'livekit', 'livekit.yaml')).mode & 0o777).toBe(0o600);
			// the server answers its API with exactly these credentials
			const rooms = new RoomServiceClient(process.env.LIVEKIT_URL!.replace('ws:', 'http:'), process.env.LIVEKIT_API_KEY!, process.env.LIVEKIT_API_SECRET!);
			expect(await rooms.listRooms()).toEqual([]);
			expect(lines.at(-1)).toContain(process.env.LIVEKIT_URL!);
		} finally {
			await server?.stop();
		}
		expect(server!.process.exitCode !== null || server!.process.signalCode !== null).toBe(true);
	});

	it('stays off, saying how to turn it on, when LiveKit is not installed; an external server is used as it is', async () => {
		process.env.DATA_DIR = freshDataDir();
		process.env.NTS_ROOT = freshDataDir(); // a project folder without tools/livekit
		delete process.env.LIVEKIT_URL;
		const lines: string[] = [];
		expect(await startEmbeddedLiveKit({ appPort: 3999, appHost: '127.0.0.1', log: (l) => lines.push(l) })).toBeNull();
		expect(lines).toEqual(['Truyền hình trực tuyến đang tắt: chưa cài LiveKit. Bật bằng: npm run livekit:install (cần Go), rồi khởi động lại.']);
		expect(process.env.LIVEKIT_URL).toBeUndefined();

		process.env.LIVEKIT_URL = 'wss://video.example.gov.vn';
		expect(await startEmbeddedLiveKit({ appPort: 3999, appHost: '127.0.0.1', log: (l) => lines.push(l) })).toBeNull();
		expect(process.env.LIVEKIT_URL).toBe('wss://video.example.gov.vn');
		expect(lines).toHaveLength(1);
	});

	it('a taken port costs the video, not the start', async () => {
		const blocker = net.createServer();
		await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
		process.env.DATA_DIR = freshDataDir();
		process.env.LIVEKIT_PORT = String((blocker.address() as net.AddressInfo).port);
		delete process.env.LIVEKIT_URL;
		const lines: string[] = [];
		try {
			expect(await startEmbeddedLiveKit({ appPort: 3999, appHost: '127.0.0.1', log: (l) => lines.push(l) })).toBeNull();
		} finally {
			blocker.close();
		}
		expect(lines).toEqual([`Truyền hình trực tuyến đang tắt: không khởi động được LiveKit nhúng (port ${process.env.LIVEKIT_PORT} is already in use).`]);
		expect(process.env.LIVEKIT_URL).toBeUndefined();
	});
});
