import http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLiveKit } from '../../media/local-livekit';
import { ParticipantBot } from '../../media/testing/participant-bot';
import { councilIdOf, db, userIdOf } from '../helpers/callers';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { startTestLiveKit } from '../helpers/livekit';
import { until } from '../helpers/until';
import { upcomingStart } from '../helpers/sittings';

// The real LiveKit server sends its own signed webhooks to the app's HTTP endpoint: people joining and leaving,
// cameras and microphones published, move attendance and the 168-site console. A relay in between keeps a copy
// of each delivery, so a genuine webhook of the server can be replayed.

interface Delivery {
	body: string;
	authorization: string;
	status: number;
}

let livekit: LocalLiveKit;
let app: AppServer;
let relay: http.Server;
const deliveries: Delivery[] = [];
const bots: ParticipantBot[] = [];

beforeAll(async () => {
	const appPort = await freePort();
	relay = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			const body = Buffer.concat(chunks).toString('utf8');
			const authorization = req.headers.authorization ?? '';
			try {
				const forwarded = await fetch(`http://127.0.0.1:${appPort}/api/livekit/webhook`, {
					method: 'POST',
					headers: { 'content-type': req.headers['content-type'] ?? 'application/webhook+json', authorization },
					body
				});
				deliveries.push({ body, authorization, status: forwarded.status });
				res.writeHead(forwarded.status).end(await forwarded.text());
			} catch {
				res.writeHead(503).end(); // the app is not up (yet, or any more)
			}
		});
	});
	await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
	const relayPort = (relay.address() as { port: number }).port;
	livekit = await startTestLiveKit({ webhookUrls: [`http://127.0.0.1:${relayPort}/webhook`] });
	app = await startAppServer({
		databaseUrl: process.env.DATABASE_URL!,
		port: appPort,
		env: { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret }
	});
});
afterAll(async () => {
	await livekit?.stop();
	await app?.stop();
	relay?.close();
});
afterEach(async () => {
	await Promise.all(bots.splice(0).map((bot) => bot.leave().catch(() => {})));
});

async function login(username: string): Promise<HttpClient> {
	const client = new HttpClient(app.url);
	await client.login(username);
	return client;
}

async function joinAs(client: HttpClient, roomKind: 'sitting' | 'conference', id: string): Promise<ParticipantBot> {
	const { token, url } = await client.mutation<{ token: string; url: string }>('media.token', { roomKind, id });
	const bot = await ParticipantBot.join(url, token);
	bots.push(bot);
	return bot;
}

/** Reads until the answer is accepted; the accepted answer. */
async function readUntil<T>(read: () => Promise<T>, accept: (value: T) => boolean, what: string): Promise<T> {
	let last: T | undefined;
	await until(async () => accept((last = await read())), what);
	return last as T;
}

interface SiteRow {
	code: string;
	status: 'online' | 'offline';
	cameraPublished: boolean;
	micPublished: boolean;
}

describe('webhooks from the real LiveKit server', () => {
	it('move a site on the console: online, camera, microphone on and off, offline; and each change reaches the linked sitting', async () => {
		const chair = await login('chair.city');
		const councilId = await councilIdOf('city');
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp có điểm cầu', startsAt: upcomingStart().toISOString() });
		const { conferenceId } = await chair.mutation<{ conferenceId: string }>('conference.create', { title: 'Hội nghị trực tuyến', siteCodes: ['26743', '26740'], sittingId });
		const siteOf = async (code: string) =>
			(await chair.query<{ items: SiteRow[]; online: number }>('conference.sites', { conferenceId })).items.find((s) => s.code === code)!;

		const site = await joinAs(await login('site.26743'), 'conference', conferenceId);
		await readUntil(() => siteOf('26743'), (s) => s.status === 'online', 'the site is online');
		expect((await chair.query<{ status: string }>('conference.get', { conferenceId })).status).toBe('live');

		await site.publishCamera({ width: 160, height: 90, fps: 10 });
		await readUntil(() => siteOf('26743'), (s) => s.cameraPublished, 'the site’s camera is on');
		await chair.mutation('conference.giveFloor', { conferenceId, siteCode: '26743' });
		await site.publishMicrophone();
		const live = await readUntil(() => siteOf('26743'), (s) => s.micPublished, 'the site’s microphone is on');
		expect(live).toMatchObject({ status: 'online', cameraPublished: true, micPublished: true });
		expect((await siteOf('26740')).status).toBe('offline');
		// the site closes its microphone (track_unpublished), then opens it again
		await site.closeMicrophone();
		expect(await readUntil(() => siteOf('26743'), (s) => !s.micPublished, 'the site’s microphone is off')).toMatchObject({ status: 'online', cameraPublished: true, micPublished: false });
		await site.publishMicrophone();
		await readUntil(() => siteOf('26743'), (s) => s.micPublished, 'the site’s microphone is on again');

		await site.leave();
		await readUntil(() => siteOf('26743'), (s) => s.status === 'offline', 'the site went offline');
		expect(await siteOf('26743')).toMatchObject({ status: 'offline', cameraPublished: false, micPublished: false });

		// Each change is a 'site.status' event on the linked sitting, and the chain still verifies.
		const events = await db().selectFrom('sitting_events').select('payload').where('sitting_id', '=', sittingId).where('type', '=', 'site.status').orderBy('seq').execute();
		const states = events.map((e) => e.payload as { siteCode: string; online: boolean; cameraPublished: boolean; micPublished: boolean });
		expect(states.at(0)).toMatchObject({ siteCode: '26743', online: true });
		expect(states.some((s) => s.cameraPublished && s.micPublished)).toBe(true);
		expect(states.at(-1)).toMatchObject({ siteCode: '26743', online: false, cameraPublished: false, micPublished: false });
		expect((await chair.query<{ ok: boolean }>('sitting.verifyChain', { sittingId })).ok).toBe(true);
	});

	it('a remote delegate joining the sitting’s video is present, leaving it is absent; a hall delegate stays in the hall', async () => {
		const chair = await login('chair.26743');
		const councilId = await councilIdOf('26743');
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp kết hợp trực tuyến', startsAt: upcomingStart().toISOString(), hybrid: true });
		await chair.mutation('sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		await chair.mutation('sitting.convene', { sittingId });
		const attendanceOf = async (username: string) => {
			const userId = await userIdOf(username);
			return (await db().selectFrom('attendance').select('status').where('sitting_id', '=', sittingId).where('user_id', '=', userId).executeTakeFirst())?.status ?? null;
		};

		const remote = await joinAs(await login('delegate.26743.5'), 'sitting', sittingId);
		await readUntil(() => attendanceOf('delegate.26743.5'), (s) => s === 'present_remote', 'the remote delegate is present');
		const hall = await login('delegate.26743.6');
		await hall.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
		const inHall = await joinAs(hall, 'sitting', sittingId);
		await remote.leave();
		await inHall.leave();
		await readUntil(() => attendanceOf('delegate.26743.5'), (s) => s === 'absent', 'the remote delegate left');
		await readUntil(() => Promise.resolve(deliveries.filter((d) => d.body.includes('participant_left') && d.body.includes(sittingId)).length), (n) => n === 2, 'both departures delivered');
		expect(await attendanceOf('delegate.26743.6')).toBe('present_hall');
		const event = await db().selectFrom('sitting_events').select(['type', 'payload']).where('sitting_id', '=', sittingId).where('type', '=', 'attendance.changed').orderBy('seq', 'desc').executeTakeFirstOrThrow();
		expect(event.payload).toMatchObject({ userId: await userIdOf('delegate.26743.5'), status: 'absent', source: 'video' });
	});

	it('every delivery of the server was accepted, and a genuine one replayed is refused', async () => {
		expect(deliveries.length).toBeGreaterThan(0);
		expect(deliveries.filter((d) => d.status !== 200)).toEqual([]);
		const genuine = deliveries.find((d) => d.body.includes('participant_joined'))!;
		const replay = await fetch(`${app.url}/api/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization: genuine.authorization }, body: genuine.body });
		expect(replay.status).toBe(401);
		expect(await replay.text()).toBe('replayed');
		// and the same signature over an altered body is refused
		const altered = await fetch(`${app.url}/api/livekit/webhook`, { method: 'POST', headers: { 'content-type': 'application/webhook+json', authorization: genuine.authorization }, body: genuine.body.replace('participant_joined', 'participant_left') });
		expect(altered.status).toBe(401);
	});
});
