import http from 'node:http';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RoomServiceClient, TrackSource } from 'livekit-server-sdk';
import type { EnabledMediaConfig } from '../../media/config';
import { isMediaError, MediaError } from '../../media/errors';
import type { LocalLiveKit } from '../../media/local-livekit';
import { FLOOR_ATTRIBUTE, MediaRoomService } from '../../media/room-service';
import { ParticipantBot } from '../../media/testing/participant-bot';
import { until } from '../helpers/until';
import { startTestLiveKit, testToken } from '../helpers/livekit';

// The room service (create rooms, move the floor, mute, remove) against a real LiveKit server, observed through
// real participants and the server's own answers.

let livekit: LocalLiveKit;
let config: EnabledMediaConfig;
let service: MediaRoomService;
let observer: RoomServiceClient;
const bots: ParticipantBot[] = [];

beforeAll(async () => {
	livekit = await startTestLiveKit();
	config = { enabled: true, url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret };
	service = new MediaRoomService(config);
	observer = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
});
afterAll(() => livekit?.stop());
afterEach(async () => {
	await Promise.all(bots.splice(0).map((bot) => bot.leave().catch(() => {})));
});

async function bot(room: string, identity: string, grant: Parameters<typeof testToken>[3] = {}, options: { followFloor?: boolean } = {}): Promise<ParticipantBot> {
	const joined = await ParticipantBot.join(livekit.url, await testToken(livekit, room, identity, grant), options);
	bots.push(joined);
	return joined;
}

const permissionOf = async (room: string, identity: string) => (await observer.listParticipants(room)).find((p) => p.identity === identity)?.permission;

describe('MediaRoomService on a real LiveKit', () => {
	it('creates a conference room with the requested limits, idempotently', async () => {
		const room = await service.ensureRoom('conference-C1', { maxParticipants: 200, emptyTimeout: 600 });
		expect(room.name).toBe('conference-C1');
		expect(room.sid).toMatch(/^RM_/);
		const [stored] = await observer.listRooms(['conference-C1']);
		expect(stored).toMatchObject({ name: 'conference-C1', maxParticipants: 200, emptyTimeout: 600 });
		const again = await service.ensureRoom('conference-C1', { maxParticipants: 200, emptyTimeout: 600 });
		expect(again.sid).toBe(room.sid);
	});

	it('gives the floor: whoever may speak loses the microphone (an open one closes), the speaker may publish it', async () => {
		const room = 'conference-C2';
		const chair = await bot(room, 'chair', { roomAdmin: true, canPublishSources: undefined });
		// The new speaker opens its microphone by itself when the grant reaches it, as the kiosk does.
		await bot(room, 'site-26743', {}, { followFloor: true });
		const previous = await bot(room, 'site-26737', { canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] });
		await bot(room, 'site-26740');
		await previous.publishMicrophone();
		await until(() => chair.hears('site-26737'), 'the chair hears the previous speaker');

		const change = await service.giveFloor(room, 'site-26743', [
			'site-26737',
			'site-26740',
			'site-99999', // invited but offline
			'site-26743' // the speaker itself is ignored among the others
		]);
		// Only the previous speaker had the microphone: the site that never had it is not touched.
		expect(change).toMatchObject({ granted: 'site-26743', revoked: ['site-26737'], absent: ['site-99999'] });
		// LiveKit itself closes a published track the new permission no longer allows, often before the mute step
		// reaches it; whoever was muted was one of those revoked.
		expect(change.muted.filter((identity) => !change.revoked.includes(identity))).toEqual([]);
		await until(() => !chair.hears('site-26737'), 'the previous speaker is silent at the chair', 1000);
		for (const identity of ['site-26737', 'site-26740']) {
			expect((await permissionOf(room, identity))?.canPublishSources, identity).toEqual([TrackSource.CAMERA]);
		}
		expect((await permissionOf(room, 'site-26743'))?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		// Every participant sees who holds the floor, set in the same update as the permission.
		const listed = new Map((await observer.listParticipants(room)).map((p) => [p.identity, p.attributes]));
		expect(listed.get('site-26743')?.[FLOOR_ATTRIBUTE]).toBe('1');
		expect(listed.get('site-26737')?.[FLOOR_ATTRIBUTE]).toBeUndefined();
		// The chair's own client learns it by the server's next signal message, not before giveFloor answers.
		await until(() => chair.room.remoteParticipants.get('site-26743')?.attributes[FLOOR_ATTRIBUTE] === '1', 'the chair sees who holds the floor');
		await until(() => chair.audioFrom('site-26743') > 0, 'the chair hears the new speaker');
	});

	it('hands the floor from site to site: the previous one is muted with the grant, before any list, and revoked once the new microphone is out; an absent site changes nothing', async () => {
		const room = 'conference-C3';
		const chair = await bot(room, 'chair', { roomAdmin: true, canPublishSources: undefined });
		await bot(room, 'site-26743', {}, { followFloor: true });
		await bot(room, 'site-26737', {}, { followFloor: true });
		const allowed = async (identity: string) => (await permissionOf(room, identity))?.canPublishSources;
		const microphoneAtServer = async (identity: string) =>
			(await observer.listParticipants(room)).find((p) => p.identity === identity)?.tracks.find((t) => t.source === TrackSource.MICROPHONE);

		expect(await service.handOverToSite(room, 'site-26743')).toEqual([]); // nobody held it before
		await until(() => chair.hears('site-26743'), 'the chair hears the first site');

		expect(await service.handOverToSite(room, 'site-26737')).toEqual(['site-26743']);
		// At once: the previous microphone is muted at the server, still published, its permission not yet revoked.
		expect(await microphoneAtServer('site-26743')).toMatchObject({ muted: true });
		expect(await allowed('site-26743')).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		expect(await allowed('site-26737')).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		await until(() => !chair.hears('site-26743') && chair.hears('site-26737'), 'the chair hears the second site only');
		// A microphone published by someone else changes nothing; the new speaker's (LiveKit's webhook) revokes.
		await service.microphonePublished(room, 'site-26743');
		expect(await allowed('site-26743')).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		await service.microphonePublished(room, 'site-26737');
		expect(await allowed('site-26743')).toEqual([TrackSource.CAMERA]);
		await until(async () => (await microphoneAtServer('site-26743')) === undefined, 'the previous microphone is closed');

		// A site that is not in the room: LiveKit refuses, and the floor stays where it was.
		await expect(service.handOverToSite(room, 'site-99999')).rejects.toSatisfy((e) => isMediaError(e, 'NOT_FOUND'));
		expect(await allowed('site-26737')).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		expect(await microphoneAtServer('site-26737')).toMatchObject({ muted: false });

		// The floor given back before the new speaker's microphone is out: the muted site is revoked first, then
		// granted again, and is heard on a new microphone.
		expect(await service.handOverToSite(room, 'site-26743')).toEqual(['site-26737']);
		const mutedTrack = (await microphoneAtServer('site-26737'))!;
		expect(mutedTrack.muted).toBe(true);
		expect(await service.handOverToSite(room, 'site-26737')).toEqual(['site-26743']);
		await until(async () => (await microphoneAtServer('site-26737'))?.muted === false, 'the site given the floor back is heard again', 5000);
		expect((await microphoneAtServer('site-26737'))!.sid).not.toBe(mutedTrack.sid);
		await until(() => chair.hears('site-26737') && !chair.hears('site-26743'), 'the chair hears it again, and only it');

		// Once the floor is taken back, the handover still passing ends too, and the next one has nobody to revoke.
		await service.takeFloor(room, 'site-26737');
		expect(await allowed('site-26743')).toEqual([TrackSource.CAMERA]);
		expect(await service.handOverToSite(room, 'site-26737')).toEqual([]);
	});

	it('revokes the muted previous speaker at the deadline when the new microphone never comes out', async () => {
		const room = 'conference-C4';
		const quick = new MediaRoomService(config, { revokeWithinMs: 300 });
		await bot(room, 'site-26743', {}, { followFloor: true });
		await bot(room, 'site-26737'); // never opens its microphone
		await quick.handOverToSite(room, 'site-26743');
		await until(async () => (await observer.listParticipants(room)).some((p) => p.identity === 'site-26743' && p.tracks.length > 0), 'the first site speaks');
		expect(await quick.handOverToSite(room, 'site-26737')).toEqual(['site-26743']);
		expect((await permissionOf(room, 'site-26743'))?.canPublishSources).toEqual([TrackSource.CAMERA, TrackSource.MICROPHONE]);
		await until(async () => (await permissionOf(room, 'site-26743'))?.canPublishSources?.length === 1, 'revoked at the deadline', 2000);
		expect((await permissionOf(room, 'site-26743'))?.canPublishSources).toEqual([TrackSource.CAMERA]);
	});

	it('takes the floor back: camera only, and the open microphone closed', async () => {
		const room = 'sitting-5';
		const chair = await bot(room, 'chair', { roomAdmin: true, canPublishSources: undefined });
		const speaker = await bot(room, 'acc-7', { canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] });
		await speaker.publishMicrophone();
		await until(() => chair.hears('acc-7'), 'the chair hears the speaker');
		await service.takeFloor(room, 'acc-7');
		await until(() => !chair.hears('acc-7'), 'the speaker is silent', 1000);
		expect((await permissionOf(room, 'acc-7'))?.canPublishSources).toEqual([TrackSource.CAMERA]);
		expect((await observer.listParticipants(room)).find((p) => p.identity === 'acc-7')?.attributes[FLOOR_ATTRIBUTE]).toBeUndefined();
	});

	it('mutes all microphones except the chair, leaving cameras alone', async () => {
		const room = 'sitting-9';
		const chair = await bot(room, 'chair-1', { roomAdmin: true, canPublishSources: undefined });
		const delegate = await bot(room, 'acc-2', { canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE] });
		const watcher = await bot(room, 'acc-3');
		await chair.publishMicrophone();
		await delegate.publishMicrophone();
		await delegate.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(() => watcher.hears('chair-1') && watcher.hears('acc-2') && watcher.videoFrom('acc-2') > 0, 'the watcher receives both');
		const result = await service.muteAll(room, { except: ['chair-1'] });
		expect(result.muted).toEqual(['acc-2']);
		await until(() => watcher.microphoneOf('acc-2')?.muted === true, 'the delegate is muted', 1000);
		expect(watcher.hears('chair-1')).toBe(true);
		const frames = watcher.videoFrom('acc-2');
		await until(() => watcher.videoFrom('acc-2') > frames, 'the delegate’s camera still arrives');
	});

	it('removes a participant; removing an absent one is NOT_FOUND', async () => {
		const removed = await bot('sitting-10', 'acc-2');
		let disconnected = false;
		removed.room.on('disconnected', () => (disconnected = true));
		await service.remove('sitting-10', 'acc-2');
		await until(() => disconnected, 'the participant was disconnected');
		expect((await observer.listParticipants('sitting-10')).map((p) => p.identity)).toEqual([]);
		await expect(service.remove('sitting-10', 'acc-2')).rejects.toSatisfy((e) => isMediaError(e, 'NOT_FOUND'));
	});

	it('lists participants with tracks and raised hands; an unknown room has none', async () => {
		const site = await bot('conference-C3', 'site-1');
		await site.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(async () => (await service.listParticipants('conference-C3'))[0]?.tracks.length === 1, 'the camera is listed');
		await service.setHandRaised('conference-C3', 'site-1', true);
		const [p] = await service.listParticipants('conference-C3');
		expect(p).toMatchObject({ identity: 'site-1', handRaised: true, canPublishMicrophone: false, tracks: [{ source: 'camera', muted: false }] });
		await until(() => site.room.localParticipant?.attributes.handRaised === '1', 'the site sees its own raised hand');
		await service.setHandRaised('conference-C3', 'site-1', false);
		expect((await service.listParticipants('conference-C3'))[0].handRaised).toBe(false);
		expect(await service.listParticipants('sitting-none')).toEqual([]);
	});

	it('is rejected with UNAUTHORIZED when signed with the wrong secret, and creates nothing', async () => {
		const wrong = new MediaRoomService({ ...config, apiSecret: 'not-the-secret-not-the-secret-xx' });
		await expect(wrong.ensureRoom('conference-X', { maxParticipants: 2, emptyTimeout: 60 })).rejects.toSatisfy((e) => isMediaError(e, 'UNAUTHORIZED'));
		expect(await observer.listRooms(['conference-X'])).toEqual([]);
	});
});

describe('MediaRoomService failure modes', () => {
	it('fails fast with UNREACHABLE when nothing listens', async () => {
		const port = await closedPort();
		const down = new MediaRoomService({ ...config, url: `http://127.0.0.1:${port}` });
		const started = Date.now();
		const error = await down.listParticipants('sitting-1').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(MediaError);
		expect((error as MediaError).code).toBe('UNREACHABLE');
		expect(Date.now() - started).toBeLessThan(1000);
	});

	it('gives up with UNREACHABLE after the short timeout when the server hangs', async () => {
		// A server that accepts and never answers, as a LiveKit stuck behind a proxy would.
		const hung = http.createServer(() => {});
		await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
		const { port } = hung.address() as { port: number };
		try {
			const slow = new MediaRoomService({ ...config, url: `http://127.0.0.1:${port}` }, { timeoutMs: 300 });
			const started = Date.now();
			await expect(slow.muteAll('sitting-1')).rejects.toSatisfy((e) => isMediaError(e, 'UNREACHABLE'));
			expect(Date.now() - started).toBeLessThan(1500);
		} finally {
			hung.closeAllConnections();
			hung.close();
		}
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
