import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLiveKit } from '../../media/local-livekit';
import { ParticipantBot } from '../../media/testing/participant-bot';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { startTestLiveKit } from '../helpers/livekit';
import { ownDatabase } from '../helpers/own-database';
import { until } from '../helpers/until';
import { upcomingStart } from '../helpers/sittings';

// The layout a city grows into: two LiveKit nodes sharing one Redis (Debian's redis-server), the same keys on
// both. A room lives on one node; clients may connect to either and are routed to it. The app talks to node A only
// (LIVEKIT_URL / LIVEKIT_API_URL) and receives the webhooks of both: tokens, room-service calls (the floor) and
// webhooks must work for a room on either node.

let redis: ChildProcess;
let redisPort: number;
let nodes: LocalLiveKit[] = [];
let app: AppServer;
let database: Awaited<ReturnType<typeof ownDatabase>>;
const bots: ParticipantBot[] = [];

const redisCli = (...args: string[]) => execFileSync('redis-cli', ['-p', String(redisPort), ...args], { encoding: 'utf8' }).trim();

beforeAll(async () => {
	redisPort = await freePort();
	redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
	await until(() => {
		try {
			return redisCli('ping') === 'PONG';
		} catch {
			return false;
		}
	}, 'redis answers', 10_000);
	database = await ownDatabase('livekit-cluster');
	const appPort = await freePort();
	const shared = { apiKey: 'APIcluster', apiSecret: 'cluster-secret-cluster-secret-cluster-01', redisAddress: `127.0.0.1:${redisPort}`, webhookUrls: [`http://127.0.0.1:${appPort}/api/livekit/webhook`] };
	nodes = [await startTestLiveKit(shared), await startTestLiveKit(shared)];
	app = await startAppServer({
		databaseUrl: database.url,
		port: appPort,
		env: { LIVEKIT_URL: nodes[0].url, LIVEKIT_API_KEY: shared.apiKey, LIVEKIT_API_SECRET: shared.apiSecret }
	});
});
afterAll(async () => {
	await Promise.all(bots.map((b) => b.leave().catch(() => {})));
	await app?.stop();
	await Promise.all(nodes.map((n) => n.stop()));
	redis?.kill('SIGTERM');
	await database?.stop();
});

/** The node each room lives on, from the routing table the nodes keep in Redis. */
function roomNodes(): Map<string, string> {
	const flat = redisCli('hgetall', 'room_node_map').split('\n').filter(Boolean);
	const map = new Map<string, string>();
	for (let i = 0; i + 1 < flat.length; i += 2) map.set(flat[i], flat[i + 1]);
	return map;
}

async function login(username: string): Promise<HttpClient> {
	const client = new HttpClient(app.url);
	await client.login(username);
	return client;
}

async function joinVia(node: LocalLiveKit, client: HttpClient, roomKind: 'sitting' | 'conference', id: string): Promise<ParticipantBot> {
	const { token } = await client.mutation<{ token: string }>('media.token', { roomKind, id });
	const bot = await ParticipantBot.join(node.url, token);
	bots.push(bot);
	return bot;
}

describe('two LiveKit nodes sharing one Redis', () => {
	it('a sitting’s room on one node and the conference on the other: tokens, the floor and webhooks work on both', async () => {
		expect(redisCli('hlen', 'nodes')).toBe('2');
		const chair = await login('chair.city');
		const councilId = (await chair.query<{ id: string; code: string }[]>('council.list')).find((c) => c.code === 'city')!.id;
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp hai máy chủ', startsAt: upcomingStart().toISOString(), hybrid: true });
		await chair.mutation('sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		await chair.mutation('sitting.convene', { sittingId });

		// The sitting's room: first joined through node A.
		const chairInSitting = await joinVia(nodes[0], chair, 'sitting', sittingId);
		const delegate = await login('delegate.city.1');
		const delegateInSitting = await joinVia(nodes[1], delegate, 'sitting', sittingId); // routed to the room's node
		await delegateInSitting.publishCamera({ width: 160, height: 90, fps: 10 });
		await until(() => chairInSitting.videoFrom(delegateInSitting.identity) > 0, 'the chair decodes the delegate across nodes', 10_000);

		// The conference: created by the app (node A's API). The nodes place each new room on the one with the
		// fewest rooms (node_selector sort_by: rooms), once both have reported their load.
		await new Promise((r) => setTimeout(r, 3000));
		const { conferenceId } = await chair.mutation<{ conferenceId: string }>('conference.create', { title: 'Hội nghị hai máy chủ', siteCodes: ['26743', '26740'], sittingId });
		const placement = roomNodes();
		const sittingNode = placement.get(`sitting-${sittingId}`);
		const conferenceNode = placement.get(`conference-${conferenceId}`);
		expect(sittingNode).toBeTruthy();
		expect(conferenceNode).toBeTruthy();
		expect(conferenceNode).not.toBe(sittingNode);

		// Sites join through either node; the app's webhooks come from the conference's node.
		const chairInConference = await joinVia(nodes[0], chair, 'conference', conferenceId);
		const siteA = await joinVia(nodes[0], await login('site.26743'), 'conference', conferenceId);
		const siteB = await joinVia(nodes[1], await login('site.26740'), 'conference', conferenceId);
		await until(async () => (await chair.query<{ online: number }>('conference.sites', { conferenceId })).online === 2, 'both sites online by webhook', 10_000);

		// The floor, through the app's room service on node A, moves microphones on both rooms' nodes.
		await chair.mutation('conference.giveFloor', { conferenceId, siteCode: '26740' });
		await siteB.publishMicrophone();
		await until(() => chairInConference.audioFrom(siteB.identity) > 0 && siteA.audioFrom(siteB.identity) > 0, 'the site on the floor is heard', 10_000);
		await chair.mutation('conference.giveFloor', { conferenceId, siteCode: '26743' });
		await until(() => !chairInConference.hears(siteB.identity), 'the previous site’s microphone closed', 1000);
		await siteA.publishMicrophone();
		await until(() => chairInConference.audioFrom(siteA.identity) > 0, 'the new speaker is heard', 10_000);

		// A site leaving through node B is offline on the console (node B's webhook).
		await siteB.leave();
		await until(async () => (await chair.query<{ items: { code: string; status: string }[] }>('conference.sites', { conferenceId })).items.find((s) => s.code === '26740')?.status === 'offline', 'site B offline', 10_000);
	});
});
