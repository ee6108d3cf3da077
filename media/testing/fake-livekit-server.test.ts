import { request } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessToken } from 'livekit-server-sdk';
import { issueToken } from '../tokens';
import { FakeLiveKitServer } from './fake-livekit-server';
import { acceptKey } from './websocket-handshake';

const apiKey = 'APIfake';
const apiSecret = 'fake-secret-fake-secret-fake-secret';
let fake: FakeLiveKitServer;

beforeAll(async () => {
	fake = await FakeLiveKitServer.start({ apiKey, apiSecret });
});
afterAll(() => fake.close());

describe('websocket handshake', () => {
	it('computes Sec-WebSocket-Accept as in RFC 6455 §1.3', () => {
		expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
	});
});

describe('fake LiveKit /rtc signalling socket', () => {
	it('upgrades with a valid join token, records it, then sends a close frame', async () => {
		const { token } = await issueToken(
			{ enabled: true, url: fake.url, apiKey, apiSecret },
			{ roomKind: 'sitting', id: 3, identity: 'acc-1', name: 'A', role: 'delegate', holdsFloor: false }
		);
		const key = Buffer.from('0123456789abcdef').toString('base64');
		const result = await upgrade(`/rtc/v1?access_token=${token}&auto_subscribe=0&sdk=js`, key);
		expect(result.status).toBe(101);
		expect(result.headers['sec-websocket-accept']).toBe(acceptKey(key));
		// close frame: FIN|opcode 8, then status 1000
		expect(result.firstFrame[0]).toBe(0x88);
		expect(result.firstFrame.readUInt16BE(2)).toBe(1000);
		const entry = fake.rtcConnections.at(-1)!;
		expect(entry).toMatchObject({ kind: 'websocket', path: '/rtc/v1', token, valid: true });
		expect(entry.claims).toMatchObject({ sub: 'acc-1', video: { room: 'sitting-3', roomJoin: true } });
		expect(entry.query.auto_subscribe).toBe('0');
	});

	it('answers 401 before upgrading when the token is forged', async () => {
		const at = new AccessToken(apiKey, 'wrong-secret-wrong-secret-wrong-xx', { identity: 'x' });
		at.addGrant({ roomJoin: true, room: 'sitting-3' });
		const token = await at.toJwt();
		const result = await upgrade(`/rtc?access_token=${token}`, Buffer.from('fedcba9876543210').toString('base64'));
		expect(result.status).toBe(401);
		expect(fake.rtcConnections.at(-1)).toMatchObject({ kind: 'websocket', path: '/rtc', valid: false, claims: null });
	});

	it('serves the client validate call', async () => {
		const res = await fetch(`${fake.url}/rtc/v1/validate?access_token=nope`);
		expect(res.status).toBe(401);
		expect(fake.rtcConnections.at(-1)).toMatchObject({ kind: 'validate', valid: false });
	});
});

describe('fake LiveKit Twirp auth', () => {
	it('rejects a missing bearer and a grant for another room with 401 twirp errors', async () => {
		const anonymous = await fetch(`${fake.url}/twirp/livekit.RoomService/ListParticipants`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ room: 'sitting-1' })
		});
		expect(anonymous.status).toBe(401);
		expect(await anonymous.json()).toMatchObject({ code: 'unauthenticated' });

		const at = new AccessToken(apiKey, apiSecret);
		at.addGrant({ roomAdmin: true, room: 'sitting-2' });
		const otherRoom = await fetch(`${fake.url}/twirp/livekit.RoomService/ListParticipants`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await at.toJwt()}` },
			body: JSON.stringify({ room: 'sitting-1' })
		});
		expect(otherRoom.status).toBe(401);
		expect(fake.requests.at(-1)).toMatchObject({
			method: 'ListParticipants',
			status: 401,
			grants: { roomAdmin: true, room: 'sitting-2' }
		});
	});

	it('refuses protobuf bodies it cannot decode with a Twirp bad_route', async () => {
		const res = await fetch(`${fake.url}/twirp/livekit.RoomService/ListRooms`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/protobuf' },
			body: new Uint8Array([0])
		});
		expect(res.status).toBe(404);
		expect(await res.json()).toMatchObject({ code: 'bad_route' });
	});
});

function upgrade(
	path: string,
	key: string
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; firstFrame: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = request(`${fake.url}${path}`, {
			headers: {
				Connection: 'Upgrade',
				Upgrade: 'websocket',
				'Sec-WebSocket-Key': key,
				'Sec-WebSocket-Version': '13'
			}
		});
		req.on('upgrade', (res, socket: Socket, head: Buffer) => {
			const chunks: Buffer[] = head.length ? [head] : [];
			socket.on('data', (c: Buffer) => chunks.push(c));
			socket.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, firstFrame: Buffer.concat(chunks) }));
			socket.on('error', reject);
		});
		req.on('response', (res) => {
			res.resume();
			resolve({ status: res.statusCode!, headers: res.headers, firstFrame: Buffer.alloc(0) });
		});
		req.on('error', reject);
		req.end();
	});
}
