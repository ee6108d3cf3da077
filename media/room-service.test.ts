import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TrackSource } from 'livekit-server-sdk';
import type { EnabledMediaConfig } from './config';
import { isMediaError, MediaError } from './errors';
import { MediaRoomService } from './room-service';
import { FakeLiveKitServer } from './testing/fake-livekit-server';

const apiKey = 'APIfake';
const apiSecret = 'fake-secret-fake-secret-fake-secret';
let fake: FakeLiveKitServer;
let config: EnabledMediaConfig;
let service: MediaRoomService;

const CAMERA_ONLY = {
	canSubscribe: true,
	canPublish: true,
	canPublishData: false,
	canPublishSources: [TrackSource.CAMERA],
	hidden: false,
	recorder: false,
	canUpdateMetadata: false
};
const WITH_MIC = { ...CAMERA_ONLY, canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] };

beforeAll(async () => {
	fake = await FakeLiveKitServer.start({ apiKey, apiSecret });
	config = { enabled: true, url: fake.wsUrl, apiKey, apiSecret };
	service = new MediaRoomService(config);
});
afterAll(() => fake.close());
afterEach(() => {
	fake.requests.length = 0;
	fake.rooms.clear();
	fake.hang = false;
});

describe('MediaRoomService against the fake LiveKit', () => {
	it('creates a conference room with the requested limits (JSON Twirp, roomCreate grant)', async () => {
		const room = await service.ensureRoom('conference-C1', { maxParticipants: 200, emptyTimeout: 600 });
		expect(room.name).toBe('conference-C1');
		expect(room.sid).toMatch(/^RM_/);
		const [req] = fake.requestsFor('CreateRoom');
		expect(req.status).toBe(200);
		expect(req.contentType).toMatch(/^application\/json/);
		expect(req.body).toMatchObject({ name: 'conference-C1', maxParticipants: 200, emptyTimeout: 600 });
		expect(req.grants).toMatchObject({ roomCreate: true });
		expect(fake.rooms.get('conference-C1')).toMatchObject({ maxParticipants: 200, emptyTimeout: 600 });
		// idempotent
		const again = await service.ensureRoom('conference-C1', { maxParticipants: 200, emptyTimeout: 600 });
		expect(again.sid).toBe(room.sid);
	});

	it('gives the floor: revokes the microphone from the others first, with exact permissions', async () => {
		fake.addParticipant('conference-C1', { identity: 'site-26734', tracks: [{ source: TrackSource.CAMERA }] });
		fake.addParticipant('conference-C1', {
			identity: 'site-26737',
			tracks: [{ source: TrackSource.CAMERA }, { sid: 'TR_mic37', source: TrackSource.MICROPHONE }]
		});
		fake.addParticipant('conference-C1', { identity: 'site-27004' });

		const change = await service.giveFloor('conference-C1', 'site-26734', [
			'site-26737',
			'site-27004',
			'site-99999', // invited but offline
			'site-26734' // the speaker itself is ignored among the others
		]);
		expect(change).toEqual({
			granted: 'site-26734',
			revoked: ['site-26737', 'site-27004'],
			absent: ['site-99999'],
			muted: ['site-26737']
		});

		const updates = fake.requestsFor('UpdateParticipant');
		expect(updates.map((r) => r.body.identity)).toEqual(
			expect.arrayContaining(['site-26737', 'site-27004', 'site-99999', 'site-26734'])
		);
		// the grant to the speaker is the very last call, after every revocation and mute
		const last = fake.requests.at(-1)!;
		expect(last.method).toBe('UpdateParticipant');
		expect(last.body).toMatchObject({ room: 'conference-C1', identity: 'site-26734', permission: WITH_MIC });
		for (const r of updates.filter((u) => u.body.identity !== 'site-26734')) {
			expect(r.body.permission).toEqual(CAMERA_ONLY);
			expect(r.grants).toEqual({ roomAdmin: true, room: 'conference-C1' });
		}
		const mute = fake.requestsFor('MutePublishedTrack');
		expect(mute.map((r) => r.body)).toEqual([
			{ room: 'conference-C1', identity: 'site-26737', trackSid: 'TR_mic37', muted: true }
		]);
		expect(fake.participant('conference-C1', 'site-26734')!.permission).toEqual(WITH_MIC);
		expect(fake.participant('conference-C1', 'site-26737')!.permission).toEqual(CAMERA_ONLY);
	});

	it('takes the floor back', async () => {
		fake.addParticipant('sitting-5', { identity: 'acc-7', tracks: [{ sid: 'TR_m7', source: TrackSource.MICROPHONE }] });
		await service.takeFloor('sitting-5', 'acc-7');
		expect(fake.participant('sitting-5', 'acc-7')!.permission).toEqual(CAMERA_ONLY);
		expect(fake.participant('sitting-5', 'acc-7')!.tracks[0].muted).toBe(true);
	});

	it('mutes all microphones except the chair, leaving cameras alone', async () => {
		fake.addParticipant('sitting-9', { identity: 'chair-1', tracks: [{ sid: 'TR_c', source: TrackSource.MICROPHONE }] });
		fake.addParticipant('sitting-9', {
			identity: 'acc-2',
			tracks: [
				{ sid: 'TR_a2', source: TrackSource.MICROPHONE },
				{ sid: 'TR_v2', source: TrackSource.CAMERA }
			]
		});
		fake.addParticipant('sitting-9', { identity: 'acc-3', tracks: [{ sid: 'TR_a3', source: TrackSource.MICROPHONE, muted: true }] });
		const result = await service.muteAll('sitting-9', { except: ['chair-1'] });
		expect(result.muted).toEqual(['acc-2']);
		expect(fake.requestsFor('MutePublishedTrack').map((r) => r.body.trackSid)).toEqual(['TR_a2']);
		expect(fake.participant('sitting-9', 'chair-1')!.tracks[0].muted).toBe(false);
		expect(fake.participant('sitting-9', 'acc-2')!.tracks[1].muted).toBe(false);
	});

	it('removes a participant; removing an absent one is NOT_FOUND', async () => {
		fake.addParticipant('sitting-9', { identity: 'acc-2' });
		await service.remove('sitting-9', 'acc-2');
		expect(fake.participant('sitting-9', 'acc-2')).toBeUndefined();
		expect(fake.requestsFor('RemoveParticipant')[0]).toMatchObject({
			status: 200,
			body: { room: 'sitting-9', identity: 'acc-2' },
			grants: { roomAdmin: true, room: 'sitting-9' }
		});
		await expect(service.remove('sitting-9', 'acc-2')).rejects.toSatisfy((e) => isMediaError(e, 'NOT_FOUND'));
	});

	it('lists participants with tracks and raised hands; an unknown room has none', async () => {
		fake.addParticipant('conference-C2', {
			identity: 'site-1',
			name: 'Phường Sài Gòn',
			tracks: [{ sid: 'TR_v', source: TrackSource.CAMERA }]
		});
		await service.setHandRaised('conference-C2', 'site-1', true);
		const [p] = await service.listParticipants('conference-C2');
		expect(p).toMatchObject({
			identity: 'site-1',
			name: 'Phường Sài Gòn',
			handRaised: true,
			tracks: [{ sid: 'TR_v', source: 'camera', muted: false }]
		});
		await service.setHandRaised('conference-C2', 'site-1', false);
		expect((await service.listParticipants('conference-C2'))[0].handRaised).toBe(false);
		expect(await service.listParticipants('sitting-none')).toEqual([]);
	});

	it('is rejected with UNAUTHORIZED when signed with the wrong secret (fake answers 401)', async () => {
		const wrong = new MediaRoomService({ ...config, apiSecret: 'not-the-secret-not-the-secret-xx' });
		await expect(wrong.ensureRoom('conference-X', { maxParticipants: 2, emptyTimeout: 60 })).rejects.toSatisfy((e) =>
			isMediaError(e, 'UNAUTHORIZED')
		);
		expect(fake.requests.at(-1)).toMatchObject({ method: 'CreateRoom', status: 401, grants: null });
		expect(fake.rooms.has('conference-X')).toBe(false);
	});
});

describe('MediaRoomService failure modes', () => {
	it('fails fast with UNREACHABLE when nothing listens', async () => {
		const port = await closedPort();
		const down = new MediaRoomService({ enabled: true, url: `http://127.0.0.1:${port}`, apiKey, apiSecret });
		const started = Date.now();
		const error = await down.listParticipants('sitting-1').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MediaError);
		expect((error as MediaError).code).toBe('UNREACHABLE');
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('gives up with UNREACHABLE after the short timeout when the server hangs', async () => {
		fake.hang = true;
		const slow = new MediaRoomService(config, { timeoutMs: 300 });
		const started = Date.now();
		await expect(slow.muteAll('sitting-1')).rejects.toSatisfy((e) => isMediaError(e, 'UNREACHABLE'));
		expect(Date.now() - started).toBeLessThan(1500);
	});

	it('reports NOT_CONFIGURED without touching the network when video is disabled', async () => {
		const off = new MediaRoomService({ enabled: false });
		expect(off.enabled).toBe(false);
		await expect(off.giveFloor('sitting-1', 'a', ['b'])).rejects.toSatisfy((e) => isMediaError(e, 'NOT_CONFIGURED'));
		await expect(off.listParticipants('sitting-1')).rejects.toSatisfy((e) => isMediaError(e, 'NOT_CONFIGURED'));
	});
});

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as { port: number };
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}
