import { createHash, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AccessToken, RoomServiceClient, TokenVerifier, TrackSource } from 'livekit-server-sdk';
import type { LocalLiveKit } from '../../media/local-livekit';
import { ParticipantBot } from '../../media/testing/participant-bot';
import { MAX_TOKEN_TTL_SECONDS } from '../../media/tokens';
import { forgetWebhookHandler, receiveWebhook } from '../../app/lib/server/media/webhook';
import { reconcileLiveConferences } from '../../app/lib/server/media/reconcile-sites';
import { as, db, userIdOf } from '../helpers/callers';
import { until } from '../helpers/until';
import { startTestLiveKit, useLiveKit } from '../helpers/livekit';
import { convenedSitting, eventTypes, sittingInProgress } from '../helpers/sittings';

// Every video procedure against a real LiveKit server, with real participants (libwebrtc in Node) joining on the
// tokens the app issues: what the server accepts, what each participant really receives, and how the floor moves
// the microphones. Webhooks sent by the server itself are tested with the app's HTTP process in
// media-webhooks.test.ts; here the app's handler gets events signed the way LiveKit signs them.

let livekit: LocalLiveKit;
let rooms: RoomServiceClient;
const bots: ParticipantBot[] = [];

beforeAll(async () => {
	livekit = await startTestLiveKit();
	rooms = new RoomServiceClient(livekit.url.replace(/^ws/, 'http'), livekit.apiKey, livekit.apiSecret);
});
afterAll(async () => {
	useLiveKit(null);
	await livekit?.stop();
});
beforeEach(() => useLiveKit(livekit));
afterEach(async () => {
	await Promise.all(bots.splice(0).map((bot) => bot.leave().catch(() => {})));
});

const verifier = () => new TokenVerifier(livekit.apiKey, livekit.apiSecret);

async function tokenOf(username: string, roomKind: 'sitting' | 'conference', id: string) {
	const issued = await (await as(username)).media.token({ roomKind, id });
	const claims = await verifier().verify(issued.token);
	const ttl = (claims.exp ?? 0) - (claims.nbf ?? Math.floor(Date.now() / 1000));
	return { issued, claims, ttl };
}

/** A participant joining the real server with the token the app issues to this account. */
async function join(username: string, roomKind: 'sitting' | 'conference', id: string): Promise<ParticipantBot> {
	const { token, url } = await (await as(username)).media.token({ roomKind, id });
	const bot = await ParticipantBot.join(url, token);
	bots.push(bot);
	return bot;
}

/** The server's own view of a participant's published sources. */
async function publishedSources(room: string, identity: string): Promise<TrackSource[]> {
	const participant = (await rooms.listParticipants(room)).find((p) => p.identity === identity);
	return participant?.tracks.map((t) => t.source) ?? [];
}

/** Whether the server lets a participant publish its microphone now. */
async function microphoneAllowed(room: string, identity: string): Promise<boolean> {
	const participant = (await rooms.listParticipants(room)).find((p) => p.identity === identity);
	return participant?.permission?.canPublishSources.includes(TrackSource.MICROPHONE) ?? false;
}

async function conference(siteCodes?: string[], sittingId?: string) {
	const chair = await as('chair.city');
	const created = await chair.conference.create({ title: 'Hội nghị trực tuyến toàn thành phố', siteCodes, sittingId });
	return { ...created, chair };
}

// Signed as LiveKit signs webhooks: a JWT from the API key whose sha256 claim is the body's hash.
async function signedWebhook(event: Record<string, unknown>, secret = livekit.apiSecret) {
	const body = JSON.stringify({ id: `EV_${randomUUID()}`, createdAt: String(Math.floor(Date.now() / 1000)), ...event });
	const at = new AccessToken(livekit.apiKey, secret, { ttl: '5m' });
	at.sha256 = createHash('sha256').update(body).digest('base64');
	return { body, auth: await at.toJwt() };
}

describe('media.token', () => {
	it('gives every role of a sitting exactly its rights, for at most 6 hours', async () => {
		const { sittingId } = await sittingInProgress(25);
		const room = `sitting-${sittingId}`;
		const chair = await tokenOf('chair.26743', 'sitting', sittingId);
		expect(chair.issued.url).toBe(livekit.url);
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

	it('the real server enforces each token: only the chair administers the room, a watcher cannot publish', async () => {
		const { sittingId } = await sittingInProgress(25);
		const room = `sitting-${sittingId}`;
		const chair = await join('chair.26743', 'sitting', sittingId);
		const delegate = await join('delegate.26743.1', 'sitting', sittingId);
		const monitor = await join('monitor.city', 'sitting', sittingId);
		const secretary = await join('secretary.26743', 'sitting', sittingId);

		// Room administration with the participant's own token, as LiveKit's API checks it.
		const asParticipant = async (username: string) => {
			const { token } = await (await as(username)).media.token({ roomKind: 'sitting', id: sittingId });
			return fetch(`${livekit.url.replace(/^ws/, 'http')}/twirp/livekit.RoomService/ListParticipants`, {
				method: 'POST',
				headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
				body: JSON.stringify({ room })
			});
		};
		const listed = await asParticipant('chair.26743');
		expect(listed.status).toBe(200);
		expect(((await listed.json()) as { participants: { identity: string }[] }).participants.map((p) => p.identity).sort()).toEqual(
			[chair.identity, delegate.identity, monitor.identity, secretary.identity].sort()
		);
		for (const username of ['delegate.26743.1', 'monitor.city', 'secretary.26743']) expect((await asParticipant(username)).status, username).toBe(401);

		// Publishing: the delegate's camera goes through; the watchers' cameras are refused by the server.
		await delegate.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(() => chair.videoFrom(delegate.identity) > 0, 'the chair decodes the delegate’s camera');
		const refused = await Promise.allSettled([monitor, secretary].map((bot) => bot.publishCamera({ width: 160, height: 90, fps: 10 })));
		expect(refused.map((r) => r.status)).toEqual(['rejected', 'rejected']);
		expect(await publishedSources(room, monitor.identity)).toEqual([]);
		expect(await publishedSources(room, secretary.identity)).toEqual([]);
		expect(await publishedSources(room, delegate.identity)).toEqual([TrackSource.CAMERA]);
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
	it('invites all 168 sites by default, pages them, filters problems, and creates the room on the server', async () => {
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
		// the room exists on the server ahead of the first join, sized for every site
		const [room] = await rooms.listRooms([`conference-${conferenceId}`]);
		expect(room?.name).toBe(`conference-${conferenceId}`);
		expect(room?.maxParticipants).toBeGreaterThanOrEqual(168);
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

	it('a site raising its hand joins the linked sitting’s floor queue, and the room shows the hand', async () => {
		const { sittingId } = await sittingInProgress(70, 'city');
		const { conferenceId } = await conference(['26743', '26740'], sittingId);
		const chairBot = await join('chair.city', 'conference', conferenceId);
		await join('site.26743', 'conference', conferenceId);
		const site = await as('site.26743');
		const { requestId } = await site.conference.raiseHand({ conferenceId });
		expect(requestId).toBeTruthy();
		await until(() => chairBot.room.remoteParticipants.get('site-26743')?.attributes.handRaised === '1', 'the chair sees the raised hand');
		const state = await (await as('chair.city')).sitting.state({ sittingId });
		expect(state.floor.queue).toEqual([expect.objectContaining({ requestId, userId: await userIdOf('site.26743'), kind: 'speech' })]);
		expect((await eventTypes(sittingId)).at(-1)).toBe('floor.changed');
		expect((await (await as('chair.city')).conference.sites({ conferenceId })).items[0]).toMatchObject({ code: '26743', handRaised: true });
		// raising again is idempotent; lowering leaves the queue
		expect((await site.conference.raiseHand({ conferenceId })).requestId).toBe(requestId);
		await site.conference.raiseHand({ conferenceId, raised: false });
		expect((await (await as('chair.city')).sitting.state({ sittingId })).floor.queue).toEqual([]);
		await until(() => !chairBot.room.remoteParticipants.get('site-26743')?.attributes.handRaised, 'the hand is down in the room');
		await expect((await as('site.26737')).conference.raiseHand({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('giveFloor, muteAll and remove act on real participants', async () => {
		const { conferenceId, chair } = await conference(['26743', '26740', '26737']);
		const room = `conference-${conferenceId}`;
		const chairBot = await join('chair.city', 'conference', conferenceId);
		const a = await join('site.26743', 'conference', conferenceId);
		const b = await join('site.26740', 'conference', conferenceId);
		await chairBot.publishMicrophone(); // the chair always may speak
		await until(() => a.hears(chairBot.identity) && b.hears(chairBot.identity), 'the sites hear the chair');

		await chair.conference.giveFloor({ conferenceId, siteCode: '26743' });
		expect(await a.tryMicrophone()).toBe('published');
		await until(() => chairBot.audioFrom('site-26743') > 0 && b.audioFrom('site-26743') > 0, 'the chair and the other site hear site A');
		await expect(chair.conference.giveFloor({ conferenceId, siteCode: '26737' })).rejects.toMatchObject({ code: 'CONFLICT' }); // not in the room

		// The floor moves to B: A's microphone is muted on every other client within a second; A keeps its permission
		// until B's microphone is out (docs/security.md, "The floor").
		await chair.conference.giveFloor({ conferenceId, siteCode: '26740' });
		expect(await microphoneAllowed(room, 'site-26743')).toBe(true);
		const closedIn = await until(() => !chairBot.hears('site-26743') && !b.hears('site-26743'), 'site A’s microphone closed', 1000);
		expect(closedIn).toBeLessThanOrEqual(1000);
		// LiveKit's webhook of B's microphone revokes A, long before the 2 s deadline.
		const published = await signedWebhook({ event: 'track_published', room: { name: room }, participant: { identity: 'site-26740' }, track: { sid: 'TR_b', type: 'AUDIO', source: 'MICROPHONE' } });
		expect(await receiveWebhook(db(), published.body, published.auth)).toEqual({ status: 200, applied: 'site' });
		await until(async () => !(await microphoneAllowed(room, 'site-26743')), 'site A revoked on B’s microphone', 500);
		expect(await b.tryMicrophone()).toBe('published');
		await until(() => chairBot.hears('site-26740'), 'the chair hears site B');

		const { muted } = await chair.conference.muteAll({ conferenceId });
		expect(muted).toEqual(['site-26740']); // the chair's own microphone stays open
		await until(() => chairBot.microphoneOf('site-26740')?.muted === true, 'site B muted at the chair', 1000);
		expect(a.hears(chairBot.identity)).toBe(true);

		await chair.conference.remove({ conferenceId, siteCode: '26740' });
		await until(async () => !(await rooms.listParticipants(room)).some((p) => p.identity === 'site-26740'), 'site B left the room');
		await until(() => !chairBot.room.remoteParticipants.has('site-26740'), 'the chair no longer sees site B');

		await expect((await as('site.26743')).conference.muteAll({ conferenceId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await chair.conference.end({ conferenceId });
		await expect(tokenOf('site.26743', 'conference', conferenceId)).rejects.toMatchObject({ code: 'CONFLICT' });
	});
});

describe('floor control follows the queue', () => {
	it('floor.grant opens the speaker’s microphone on the server, floor.end closes it everywhere within a second', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const room = `sitting-${sittingId}`;
		const chairBot = await join('chair.26743', 'sitting', sittingId);
		const d1 = await join('delegate.26743.1', 'sitting', sittingId);
		const d2 = await join('delegate.26743.2', 'sitting', sittingId);
		const site = await join('site.26743', 'sitting', sittingId);
		await d1.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(() => chairBot.videoFrom(d1.identity) > 0 && d2.videoFrom(d1.identity) > 0, 'the delegate’s camera reaches the others');

		// No floor: LiveKit itself refuses the microphone (the token allows the camera only; the client gives up
		// waiting for an answer). A refused publication stays pending in that client, so another delegate speaks.
		expect(await d2.tryMicrophone()).toBe('refused');
		expect(await publishedSources(room, d2.identity)).toEqual([]);
		expect(chairBot.audioFrom(d2.identity)).toBe(0);

		const { requestId } = await (await as('delegate.26743.1')).floor.request({ sittingId, kind: 'speech' });
		await chair.floor.grant({ requestId });
		expect(await d1.tryMicrophone()).toBe('published');
		await until(() => chairBot.audioFrom(d1.identity) > 0 && d2.audioFrom(d1.identity) > 0 && site.audioFrom(d1.identity) > 0, 'everyone hears the speaker');

		await chair.floor.end({ sittingId });
		const closedIn = await until(() => [chairBot, d2, site].every((bot) => !bot.hears(d1.identity)), 'the speaker’s microphone closed on every client', 1000);
		expect(closedIn).toBeLessThanOrEqual(1000);
		const delegatePermission = (await rooms.listParticipants(room)).find((p) => p.identity === d1.identity)?.permission;
		expect(delegatePermission?.canPublishSources).toEqual([TrackSource.CAMERA]);
		// the chair was never reduced to camera only
		const chairPermission = (await rooms.listParticipants(room)).find((p) => p.identity === chairBot.identity)?.permission;
		expect(chairPermission?.canPublishSources ?? []).toEqual([]);
		expect(chairPermission?.canPublish).toBe(true);
	});

	it('floor.grant succeeds when LiveKit is unreachable', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const { requestId } = await (await as('delegate.26743.2')).floor.request({ sittingId, kind: 'speech' });
		useLiveKit({ url: 'http://127.0.0.1:9', apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }); // nothing listens there
		const granted = await chair.floor.grant({ requestId });
		expect(granted.floor.speaker).toMatchObject({ requestId });
		await chair.floor.end({ sittingId });
	});

	it('floor.grant to a site in the queue opens the site’s microphone in the linked conference', async () => {
		const { sittingId, chair } = await sittingInProgress(70, 'city');
		const { conferenceId } = await conference(['26743', '26740'], sittingId);
		const chairBot = await join('chair.city', 'conference', conferenceId);
		const a = await join('site.26743', 'conference', conferenceId);
		const b = await join('site.26740', 'conference', conferenceId);
		const { requestId } = await (await as('site.26743')).conference.raiseHand({ conferenceId });
		await chair.floor.grant({ requestId: requestId! });
		expect(await a.tryMicrophone()).toBe('published');
		await until(() => chairBot.audioFrom('site-26743') > 0, 'the chair hears the site');
		const others = (await rooms.listParticipants(`conference-${conferenceId}`)).find((p) => p.identity === b.identity)?.permission;
		expect(others?.canPublishSources).toEqual([TrackSource.CAMERA]);
		expect((await (await as('chair.city')).conference.get({ conferenceId })).speakerIdentity).toBe('site-26743');
	});
});

describe('sites reconciled with LiveKit’s participant list', () => {
	it('a site whose webhooks never came is put right from the room, and a late webhook older than that is ignored', async () => {
		const { sittingId } = await sittingInProgress(70, 'city');
		const { conferenceId, chair } = await conference(['26743', '26740'], sittingId);
		await db().updateTable('conferences').set({ status: 'live' }).where('id', '=', conferenceId).execute();
		const site = await join('site.26743', 'conference', conferenceId);
		await site.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(async () => (await rooms.listParticipants(`conference-${conferenceId}`)).some((p) => p.identity === 'site-26743' && p.tracks.length === 1), 'the camera is on the server');
		const row = async (code: string) => (await chair.conference.sites({ conferenceId })).items.find((s) => s.code === code);
		expect(await row('26743')).toMatchObject({ status: 'offline', cameraPublished: false }); // no webhook reached this app

		expect(await reconcileLiveConferences(db())).toBe(1);
		expect(await row('26743')).toMatchObject({ status: 'online', cameraPublished: true, micPublished: false });
		expect(await row('26740')).toMatchObject({ status: 'offline' });
		const events = await db().selectFrom('sitting_events').select('payload').where('sitting_id', '=', sittingId).where('type', '=', 'site.status').execute();
		expect(events.map((e) => e.payload)).toEqual([expect.objectContaining({ siteCode: '26743', change: 'reconciled', online: true, cameraPublished: true })]);
		expect(await reconcileLiveConferences(db())).toBe(0); // nothing differs any more

		// A participant_left delayed from before the reconciliation changes nothing.
		const late = await signedWebhook({ event: 'participant_left', createdAt: String(Math.floor(Date.now() / 1000) - 20), room: { name: `conference-${conferenceId}` }, participant: { identity: 'site-26743' } });
		expect(await receiveWebhook(db(), late.body, late.auth)).toEqual({ status: 200, applied: 'stale' });
		expect(await row('26743')).toMatchObject({ status: 'online' });

		await site.leave();
		await until(async () => !(await rooms.listParticipants(`conference-${conferenceId}`)).some((p) => p.identity === 'site-26743'), 'the site left the room');
		expect(await reconcileLiveConferences(db())).toBe(1);
		expect(await row('26743')).toMatchObject({ status: 'offline', cameraPublished: false, micPublished: false });
	});
});

describe('LiveKit webhook (the app’s handler)', () => {
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
});
