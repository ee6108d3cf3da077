import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessToken, TokenVerifier, TrackSource } from 'livekit-server-sdk';
import { FakeLiveKitServer } from '../../media/testing/fake-livekit-server';
import { MAX_TOKEN_TTL_SECONDS } from '../../media/tokens';
import { forgetWebhookHandler, receiveWebhook } from '../../app/lib/server/media/webhook';
import { as, db, userIdOf } from '../helpers/callers';
import { convenedSitting, eventTypes, sittingInProgress } from '../helpers/sittings';

const apiKey = 'APImediatest';
const apiSecret = 'media-test-secret-media-test-secret-0123';
let fake: FakeLiveKitServer;

function useLiveKit(url: string | null) {
	if (url === null) {
		delete process.env.LIVEKIT_URL;
		delete process.env.LIVEKIT_API_KEY;
		delete process.env.LIVEKIT_API_SECRET;
		return;
	}
	process.env.LIVEKIT_URL = url;
	process.env.LIVEKIT_API_KEY = apiKey;
	process.env.LIVEKIT_API_SECRET = apiSecret;
}

beforeAll(async () => {
	fake = await FakeLiveKitServer.start({ apiKey, apiSecret });
});
afterAll(async () => {
	useLiveKit(null);
	await fake.close();
});
beforeEach(() => {
	useLiveKit(fake.url);
	fake.requests.length = 0;
	fake.rooms.clear();
});

const verifier = new TokenVerifier(apiKey, apiSecret);
const MIC = TrackSource.MICROPHONE;
const CAM = TrackSource.CAMERA;

async function tokenOf(username: string, roomKind: 'sitting' | 'conference', id: string) {
	const issued = await (await as(username)).media.token({ roomKind, id });
	const claims = await verifier.verify(issued.token);
	const ttl = (claims.exp ?? 0) - (claims.nbf ?? Math.floor(Date.now() / 1000));
	return { issued, claims, ttl };
}

async function conference(siteCodes?: string[], sittingId?: string) {
	const chair = await as('chair.city');
	const created = await chair.conference.create({ title: 'Hội nghị trực tuyến toàn thành phố', siteCodes, sittingId });
	return { ...created, chair };
}

// Signed as LiveKit signs webhooks: a JWT from the API key whose sha256 claim is the body's hash.
async function signedWebhook(event: Record<string, unknown>, secret = apiSecret) {
	const body = JSON.stringify({ id: `EV_${randomUUID()}`, createdAt: String(Math.floor(Date.now() / 1000)), ...event });
	const at = new AccessToken(apiKey, secret, { ttl: '5m' });
	at.sha256 = createHash('sha256').update(body).digest('base64');
	return { body, auth: await at.toJwt() };
}

describe('media.token', () => {
	it('gives every role of a sitting exactly its rights, for at most 6 hours', async () => {
		const { sittingId } = await sittingInProgress(25);
		const room = `sitting-${sittingId}`;
		const chair = await tokenOf('chair.26743', 'sitting', sittingId);
		expect(chair.issued.url).toBe(fake.wsUrl);
		expect(chair.claims).toMatchObject({ sub: await userIdOf('chair.26743'), video: { room, roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true } });

		const delegate = await tokenOf('delegate.26743.1', 'sitting', sittingId);
		expect(delegate.claims.sub).toBe(await userIdOf('delegate.26743.1'));
		expect(delegate.claims.video).toMatchObject({ room, roomJoin: true, canPublish: true, canSubscribe: true, canPublishData: false, canPublishSources: ['camera'] });
		expect(delegate.claims.video?.roomAdmin).toBeFalsy();

		const site = await tokenOf('site.26743', 'sitting', sittingId);
		expect(site.claims).toMatchObject({ sub: 'site-26743', video: { room, canPublishSources: ['camera'] } });

		for (const watcher of ['secretary.26743', 'clerk.26743']) {
			const t = await tokenOf(watcher, 'sitting', sittingId);
			expect(t.claims.video).toMatchObject({ room, roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false });
			expect(t.issued.role).toBe('display');
		}
		const monitor = await tokenOf('monitor.city', 'sitting', sittingId);
		expect(monitor.issued.role).toBe('monitor');
		expect(monitor.claims.video).toMatchObject({ room, canPublish: false, canSubscribe: true });

		for (const t of [chair, delegate, site, monitor]) {
			expect(t.ttl).toBeGreaterThan(0);
			expect(t.ttl).toBeLessThanOrEqual(MAX_TOKEN_TTL_SECONDS);
			expect(new Date(t.issued.expiresAt).getTime()).toBe((t.claims.exp ?? 0) * 1000);
		}
	});

	it('lets the delegate who holds the floor publish the microphone', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const { requestId } = await (await as('delegate.26743.3')).floor.request({ sittingId, kind: 'speech' });
		await chair.floor.grant({ requestId });
		const speaking = await tokenOf('delegate.26743.3', 'sitting', sittingId);
		expect(speaking.claims.video?.canPublishSources).toEqual(['camera', 'microphone']);
		const listening = await tokenOf('delegate.26743.4', 'sitting', sittingId);
		expect(listening.claims.video?.canPublishSources).toEqual(['camera']);
	});

	it('refuses a delegate of another council, and an unknown room', async () => {
		const { sittingId } = await convenedSitting();
		await expect((await as('delegate.26740.1')).media.token({ roomKind: 'sitting', id: sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('chair.26743')).media.token({ roomKind: 'sitting', id: randomUUID() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('chair.26743')).media.token({ roomKind: 'conference', id: randomUUID() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('maps conference roles: chair, invited site, monitor, city delegate; refuses uninvited sites and ward delegates', async () => {
		const { conferenceId } = await conference(['26743', '26740']);
		const room = `conference-${conferenceId}`;
		expect((await tokenOf('chair.city', 'conference', conferenceId)).claims.video).toMatchObject({ room, roomAdmin: true });
		const site = await tokenOf('site.26743', 'conference', conferenceId);
		expect(site.claims).toMatchObject({ sub: 'site-26743', name: expect.stringContaining('Bến Thành'), video: { room, canPublishSources: ['camera'] } });
		expect((await tokenOf('monitor.city', 'conference', conferenceId)).issued.role).toBe('monitor');
		expect((await tokenOf('delegate.city.1', 'conference', conferenceId)).issued.role).toBe('delegate');
		expect((await tokenOf('secretary.city', 'conference', conferenceId)).issued.role).toBe('display');
		await expect((await as('site.26737')).media.token({ roomKind: 'conference', id: conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26743.1')).media.token({ roomKind: 'conference', id: conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('says clearly that video is not configured, and everything else still works', async () => {
		useLiveKit(null);
		const { sittingId } = await convenedSitting();
		await expect((await as('chair.26743')).media.token({ roomKind: 'sitting', id: sittingId })).rejects.toMatchObject({
			code: 'PRECONDITION_FAILED',
			message: 'Chưa cấu hình truyền hình trực tuyến.'
		});
		expect(await (await as('chair.26743')).media.status()).toEqual({ enabled: false });
		await (await as('delegate.26743.1')).attendance.checkIn({ sittingId, mode: 'remote' });
	});
});

describe('conferences', () => {
	it('invites all 168 sites by default, pages them and filters problems', async () => {
		const { conferenceId, sites, chair } = await conference();
		expect(sites).toBe(168);
		const first = await chair.conference.sites({ conferenceId });
		expect(first).toMatchObject({ total: 168, invited: 168, online: 0, page: 1, pageCount: 7, perPage: 24 });
		expect(first.items).toHaveLength(24);
		const last = await chair.conference.sites({ conferenceId, page: 7 });
		expect(last.items).toHaveLength(168 - 6 * 24);
		expect((await chair.conference.sites({ conferenceId, problemsOnly: true })).total).toBe(168); // all offline
		const detail = await chair.conference.get({ conferenceId });
		expect(detail).toMatchObject({ status: 'scheduled', sites: 168, online: 0, councilName: expect.stringContaining('Hồ Chí Minh') });
		expect((await chair.conference.list()).map((c) => c.id)).toContain(conferenceId);
		// the room was created ahead with its limits
		expect(fake.requestsFor('CreateRoom').at(-1)?.body).toMatchObject({ name: `conference-${conferenceId}` });
	});

	it('only the city chair or an admin creates, and only organisers see the site list', async () => {
		await expect((await as('chair.26743')).conference.create({ title: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.city.1')).conference.create({ title: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const { conferenceId } = await (await as('admin')).conference.create({ title: 'Tập huấn', siteCodes: ['26743'] });
		await expect((await as('site.26743')).conference.sites({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await (await as('site.26743')).conference.get({ conferenceId })).mySite).toMatchObject({ code: '26743', identity: 'site-26743' });
		await expect((await as('site.26740')).conference.get({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('chair.city')).conference.create({ title: 'x', siteCodes: ['nope1'] })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('a site raising its hand joins the linked sitting’s floor queue', async () => {
		const { sittingId } = await sittingInProgress(70, 'city');
		const { conferenceId } = await conference(['26743', '26740'], sittingId);
		const site = await as('site.26743');
		const { requestId } = await site.conference.raiseHand({ conferenceId });
		expect(requestId).toBeTruthy();
		const state = await (await as('chair.city')).sitting.state({ sittingId });
		expect(state.floor.queue).toEqual([expect.objectContaining({ requestId, userId: await userIdOf('site.26743'), kind: 'speech' })]);
		expect((await eventTypes(sittingId)).at(-1)).toBe('floor.changed');
		expect((await (await as('chair.city')).conference.sites({ conferenceId })).items[0]).toMatchObject({ code: '26743', handRaised: true });
		// raising again is idempotent; lowering leaves the queue
		expect((await site.conference.raiseHand({ conferenceId })).requestId).toBe(requestId);
		await site.conference.raiseHand({ conferenceId, raised: false });
		expect((await (await as('chair.city')).sitting.state({ sittingId })).floor.queue).toEqual([]);
		await expect((await as('site.26737')).conference.raiseHand({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('giveFloor, muteAll and remove reach LiveKit with the right calls', async () => {
		const { conferenceId, chair } = await conference(['26743', '26740', '26737']);
		const room = `conference-${conferenceId}`;
		const chairId = await userIdOf('chair.city');
		fake.addParticipant(room, { identity: chairId, tracks: [{ source: MIC }] });
		fake.addParticipant(room, { identity: 'site-26743', tracks: [{ source: CAM }] });
		fake.addParticipant(room, { identity: 'site-26740', tracks: [{ source: MIC }, { source: CAM }] });

		await chair.conference.giveFloor({ conferenceId, siteCode: '26743' });
		const updates = fake.requestsFor('UpdateParticipant').map((r) => r.body as { identity: string; permission: { canPublishSources: number[] } });
		expect(updates.find((u) => u.identity === 'site-26743')?.permission.canPublishSources).toContain(MIC);
		expect(updates.find((u) => u.identity === 'site-26740')?.permission.canPublishSources).not.toContain(MIC);
		expect(updates.some((u) => u.identity === chairId)).toBe(false);
		await expect(chair.conference.giveFloor({ conferenceId, siteCode: '26737' })).rejects.toMatchObject({ code: 'CONFLICT' }); // not in the room

		fake.participant(room, 'site-26743')!.tracks.push({ sid: 'TR_mic43', source: MIC, muted: false });
		const { muted } = await chair.conference.muteAll({ conferenceId });
		expect(muted).toContain('site-26743');
		expect(muted).not.toContain(chairId);
		expect(fake.requestsFor('MutePublishedTrack').map((r) => r.body.identity)).toContain('site-26743');

		await chair.conference.remove({ conferenceId, siteCode: '26740' });
		expect(fake.requestsFor('RemoveParticipant').at(-1)?.body).toMatchObject({ room, identity: 'site-26740' });
		expect(fake.participant(room, 'site-26740')).toBeUndefined();

		await expect((await as('site.26743')).conference.muteAll({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await chair.conference.end({ conferenceId });
		await expect(tokenOf('site.26743', 'conference', conferenceId)).rejects.toMatchObject({ code: 'CONFLICT' });
	});
});

describe('floor control follows the queue', () => {
	it('floor.grant gives the speaker the microphone and takes it from every other delegate and site', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const room = `sitting-${sittingId}`;
		const [d1, d2] = await Promise.all([userIdOf('delegate.26743.1'), userIdOf('delegate.26743.2')]);
		const chairId = await userIdOf('chair.26743');
		fake.addParticipant(room, { identity: chairId });
		fake.addParticipant(room, { identity: d1, tracks: [{ source: CAM }] });
		fake.addParticipant(room, { identity: d2, tracks: [{ source: CAM }, { source: MIC }] });
		fake.addParticipant(room, { identity: 'site-26743', tracks: [{ source: CAM }] });

		const { requestId } = await (await as('delegate.26743.1')).floor.request({ sittingId, kind: 'speech' });
		await chair.floor.grant({ requestId });
		const updates = fake.requestsFor('UpdateParticipant').map((r) => r.body as { identity: string; permission: { canPublishSources: number[] } });
		const last = (identity: string) => updates.filter((u) => u.identity === identity).at(-1)?.permission.canPublishSources;
		expect(last(d1)).toEqual(expect.arrayContaining([MIC, CAM]));
		expect(last(d2)).toEqual([CAM]);
		expect(last('site-26743')).toEqual([CAM]);
		expect(last(chairId)).toBeUndefined(); // the chair is never reduced to camera-only
		expect(fake.requestsFor('MutePublishedTrack').map((r) => r.body.identity)).toEqual([d2]);

		fake.requests.length = 0;
		await chair.floor.end({ sittingId });
		const after = fake.requestsFor('UpdateParticipant').map((r) => r.body as { identity: string; permission: { canPublishSources: number[] } });
		expect(after.map((u) => u.identity)).toEqual([d1]);
		expect(after[0].permission.canPublishSources).toEqual([CAM]);
	});

	it('floor.grant succeeds when LiveKit is unreachable', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const { requestId } = await (await as('delegate.26743.2')).floor.request({ sittingId, kind: 'speech' });
		useLiveKit('http://127.0.0.1:9'); // nothing listens there
		const granted = await chair.floor.grant({ requestId });
		expect(granted.floor.speaker).toMatchObject({ requestId });
		await chair.floor.end({ sittingId });
	});

	it('floor.grant to a site in the queue opens the site’s microphone in the linked conference', async () => {
		const { sittingId, chair } = await sittingInProgress(70, 'city');
		const { conferenceId } = await conference(['26743', '26740'], sittingId);
		const room = `conference-${conferenceId}`;
		fake.addParticipant(room, { identity: 'site-26743' });
		fake.addParticipant(room, { identity: 'site-26740' });
		const { requestId } = await (await as('site.26743')).conference.raiseHand({ conferenceId });
		expect(fake.participant(room, 'site-26743')?.attributes).toEqual({ handRaised: '1' });
		await chair.floor.grant({ requestId: requestId! });
		const updates = fake.requestsFor('UpdateParticipant').filter((r) => r.body.room === room && r.body.permission).map((r) => r.body as { identity: string; permission: { canPublishSources: number[] } });
		expect(updates.find((u) => u.identity === 'site-26743')?.permission.canPublishSources).toContain(MIC);
		expect(updates.find((u) => u.identity === 'site-26740')?.permission.canPublishSources).not.toContain(MIC);
		expect((await (await as('chair.city')).conference.get({ conferenceId })).speakerIdentity).toBe('site-26743');
	});
});

describe('LiveKit webhook', () => {
	async function attendanceOf(sittingId: string, username: string) {
		const userId = await userIdOf(username);
		return (await db().selectFrom('attendance').select('status').where('sitting_id', '=', sittingId).where('user_id', '=', userId).executeTakeFirst())?.status ?? null;
	}

	it('marks a delegate joining the sitting’s video present remotely, and absent when they leave', async () => {
		const { sittingId } = await convenedSitting();
		const userId = await userIdOf('delegate.26743.5');
		const joined = await signedWebhook({ event: 'participant_joined', room: { name: `sitting-${sittingId}` }, participant: { identity: userId, name: 'Đại biểu' } });
		expect(await receiveWebhook(db(), joined.body, joined.auth)).toEqual({ status: 200, applied: 'present_remote' });
		expect(await attendanceOf(sittingId, 'delegate.26743.5')).toBe('present_remote');
		const event = await db().selectFrom('sitting_events').select(['type', 'payload']).where('sitting_id', '=', sittingId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
		expect(event).toMatchObject({ type: 'attendance.changed', payload: expect.objectContaining({ userId, status: 'present_remote', source: 'video' }) });

		const left = await signedWebhook({ event: 'participant_left', room: { name: `sitting-${sittingId}` }, participant: { identity: userId } });
		expect((await receiveWebhook(db(), left.body, left.auth)).status).toBe(200);
		expect(await attendanceOf(sittingId, 'delegate.26743.5')).toBe('absent');

		// someone checked in the hall is not moved to remote (nor made absent by leaving)
		await (await as('delegate.26743.6')).attendance.checkIn({ sittingId, mode: 'hall' });
		const hallId = await userIdOf('delegate.26743.6');
		for (const kind of ['participant_joined', 'participant_left']) {
			const e = await signedWebhook({ event: kind, room: { name: `sitting-${sittingId}` }, participant: { identity: hallId } });
			await receiveWebhook(db(), e.body, e.auth);
		}
		expect(await attendanceOf(sittingId, 'delegate.26743.6')).toBe('present_hall');
		// a delegate of another council in the room changes nothing
		const outsider = await signedWebhook({ event: 'participant_joined', room: { name: `sitting-${sittingId}` }, participant: { identity: await userIdOf('delegate.26740.1') } });
		expect(await receiveWebhook(db(), outsider.body, outsider.auth)).toEqual({ status: 200, applied: 'ignored' });
	});

	it('refuses unsigned, forged, stale and replayed events with 401 and changes nothing', async () => {
		const { sittingId } = await convenedSitting();
		const userId = await userIdOf('delegate.26743.7');
		const event = { event: 'participant_joined', room: { name: `sitting-${sittingId}` }, participant: { identity: userId } };
		const before = await eventTypes(sittingId);

		const unsigned = await signedWebhook(event);
		expect(await receiveWebhook(db(), unsigned.body, null)).toEqual({ status: 401, reason: 'unsigned' });
		const forged = await signedWebhook(event, 'another-secret-another-secret-another-1');
		expect(await receiveWebhook(db(), forged.body, forged.auth)).toMatchObject({ status: 401, reason: 'bad_signature' });
		const tampered = await signedWebhook(event);
		expect(await receiveWebhook(db(), tampered.body.replace(userId, await userIdOf('delegate.26743.8')), tampered.auth)).toMatchObject({ status: 401 });
		const stale = await signedWebhook({ ...event, createdAt: String(Math.floor(Date.now() / 1000) - 3600) });
		expect(await receiveWebhook(db(), stale.body, stale.auth)).toMatchObject({ status: 401, reason: 'stale' });
		expect(await attendanceOf(sittingId, 'delegate.26743.7')).toBeNull();
		expect(await eventTypes(sittingId)).toEqual(before);

		const genuine = await signedWebhook(event);
		expect((await receiveWebhook(db(), genuine.body, genuine.auth)).status).toBe(200);
		await (await as('secretary.26743')).attendance.mark({ sittingId, delegateId: userId, status: 'absent_excused', reason: 'Ốm' });
		const afterGenuine = await eventTypes(sittingId);
		expect(await receiveWebhook(db(), genuine.body, genuine.auth)).toMatchObject({ status: 401, reason: 'replayed' });
		// after a restart (no in-memory cache) the stored id still refuses it
		forgetWebhookHandler();
		expect(await receiveWebhook(db(), genuine.body, genuine.auth)).toMatchObject({ status: 401, reason: 'replayed' });
		expect(await attendanceOf(sittingId, 'delegate.26743.7')).toBe('absent_excused');
		expect(await eventTypes(sittingId)).toEqual(afterGenuine);
	});

	it('the HTTP endpoint answers 401 to an unsigned post', async () => {
		const { POST } = await import('../../app/routes/api/livekit/webhook/+server');
		const response = await POST({ request: new Request('http://x/api/livekit/webhook', { method: 'POST', body: '{}' }) } as never);
		expect(response.status).toBe(401);
	});

	it('keeps each site’s state and reports it on the linked sitting', async () => {
		const { sittingId } = await sittingInProgress(70, 'city');
		const { conferenceId } = await conference(['26743', '26740'], sittingId);
		const room = { name: `conference-${conferenceId}` };
		const participant = { identity: 'site-26743', name: 'Phường Bến Thành' };
		for (const e of [
			{ event: 'participant_joined', room, participant },
			{ event: 'track_published', room, participant, track: { sid: 'TR_cam', source: 'CAMERA', type: 'VIDEO' } },
			{ event: 'track_published', room, participant, track: { sid: 'TR_mic', source: 'MICROPHONE', type: 'AUDIO' } }
		]) {
			const signed = await signedWebhook(e);
			expect(await receiveWebhook(db(), signed.body, signed.auth)).toEqual({ status: 200, applied: 'site' });
		}
		const chair = await as('chair.city');
		const sites = await chair.conference.sites({ conferenceId });
		expect(sites.online).toBe(1);
		expect(sites.items.find((s) => s.code === '26743')).toMatchObject({ status: 'online', micPublished: true, cameraPublished: true, problems: [] });
		expect((await chair.conference.sites({ conferenceId, problemsOnly: true })).items.map((s) => s.code)).toEqual(['26740']);
		expect((await chair.conference.get({ conferenceId })).status).toBe('live');
		const events = await db().selectFrom('sitting_events').select(['type', 'payload']).where('sitting_id', '=', sittingId).where('type', '=', 'site.status').orderBy('seq').execute();
		expect(events).toHaveLength(3);
		expect(events[2].payload).toMatchObject({ conferenceId, siteCode: '26743', online: true, micPublished: true, cameraPublished: true });
		expect((await chair.sitting.verifyChain({ sittingId })).ok).toBe(true);

		const left = await signedWebhook({ event: 'participant_left', room, participant });
		await receiveWebhook(db(), left.body, left.auth);
		expect((await chair.conference.sites({ conferenceId })).items.find((s) => s.code === '26743')).toMatchObject({ status: 'offline', micPublished: false });
	});
});
