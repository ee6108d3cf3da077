import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../app/lib/server/auth/session';
import { LiveFeed } from '../../app/lib/server/realtime/live-feed';
import { anonymous, as, cookieJar, councilIdOf, userIdOf } from '../helpers/callers';
import { sittingInProgress } from '../helpers/sittings';
import { until } from '../helpers/until';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';

// Issue 19: after a logout, or once the role they were opened with was revoked, live streams still delivered the
// next `sitting.currentItem`. Now each stream is checked again on the database's auth-change notice and ends (as
// tRPC's `return`) within a short bound. Both delivery paths are covered: the async iteration tRPC's SSE handler
// uses, and the sink the direct route (api/direct/live-feed.ts) attaches.

const BOUND_MS = 5_000;

/** Signs in like a browser (a real session with its token), and a caller that carries it. */
async function signedIn(username: string, password = 'demo') {
	const { jar, cookies } = cookieJar();
	await anonymous({ cookies }).auth.login({ username, password });
	const sessionToken = jar.get(SESSION_COOKIE)!;
	return as(username, { sessionToken, cookies });
}

type Caller = Awaited<ReturnType<typeof signedIn>>;
type Event = { seq: number; type: string };

/** Reads a subscription as tRPC's SSE handler does, recording what arrives and whether it ended. */
function read(stream: unknown) {
	const state = { types: [] as string[], ended: false };
	void (async () => {
		for await (const [, event] of stream as AsyncIterable<[string, Event]>) state.types.push(event.type);
		state.ended = true;
	})();
	return state;
}

/** Attaches to a feed as the direct route does, recording deliveries and the close. */
function attach(feed: unknown) {
	expect(feed).toBeInstanceOf(LiveFeed);
	const state = { types: [] as string[], closed: false };
	(feed as LiveFeed<Event, unknown>).attach({ deliver: (e) => state.types.push(e.type), close: () => (state.closed = true) });
	return state;
}

async function openBoth(caller: Caller, sittingId: string, lastEventId: number) {
	return {
		iterated: read(await caller.sitting.events({ sittingId, lastEventId })),
		attached: attach(await caller.sitting.events({ sittingId, lastEventId }))
	};
}

describe('live streams end with the session or the role', () => {
	it('ends both kinds of sitting.events stream at logout; another user’s stream goes on', async () => {
		const s = await sittingInProgress(25);
		const after = (await s.chair.sitting.state({ sittingId: s.sittingId })).lastEventId;
		const leaving = await signedIn('delegate.26743.5');
		const staying = await signedIn('delegate.26743.6');
		const mine = await openBoth(leaving, s.sittingId, after);
		const theirs = await openBoth(staying, s.sittingId, after);

		await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.reportId });
		await until(() => [mine, theirs].every((x) => x.iterated.types.length === 1 && x.attached.types.length === 1), 'the first currentItem everywhere', BOUND_MS);

		await leaving.auth.logout();
		const took = await until(() => mine.iterated.ended && mine.attached.closed, 'the logged-out streams ended', BOUND_MS);
		expect(took).toBeLessThan(BOUND_MS);

		await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.itemId });
		await until(() => theirs.iterated.types.length === 2 && theirs.attached.types.length === 2, 'the second currentItem for the other user', BOUND_MS);
		expect(theirs).toEqual({
			iterated: { types: ['sitting.currentItem', 'sitting.currentItem'], ended: false },
			attached: { types: ['sitting.currentItem', 'sitting.currentItem'], closed: false }
		});
		expect(mine).toEqual({ iterated: { types: ['sitting.currentItem'], ended: true }, attached: { types: ['sitting.currentItem'], closed: true } });
	});

	it('ends the streams of a delegate whose council role is revoked, and of a monitor whose city role is revoked', async () => {
		const s = await sittingInProgress(25);
		const after = (await s.chair.sitting.state({ sittingId: s.sittingId })).lastEventId;
		const admin = await as('admin');
		const councilId = await councilIdOf('26743');

		// A new city monitor (reads every council through the city role), signed in.
		const { userId: monitorId } = await admin.admin.createUser({ username: 'giam.sat.moi', fullName: 'Giám Sát Mới', password: 'mat-khau-giam-sat' });
		await admin.admin.assignRole({ userId: monitorId, cityRole: 'monitor' });
		const monitor = await signedIn('giam.sat.moi', 'mat-khau-giam-sat');
		const revokedDelegate = await signedIn('delegate.26743.30'); // not among the 25 checked in by later sittings
		const keptDelegate = await signedIn('delegate.26743.8');
		const streams = {
			monitor: await openBoth(monitor, s.sittingId, after),
			revoked: await openBoth(revokedDelegate, s.sittingId, after),
			kept: await openBoth(keptDelegate, s.sittingId, after)
		};
		const monitorFeed = read(await monitor.monitor.events());

		await admin.admin.revokeRole({ userId: await userIdOf('delegate.26743.30'), councilId, role: 'delegate' });
		await until(() => streams.revoked.iterated.ended && streams.revoked.attached.closed, 'the revoked delegate’s streams ended', BOUND_MS);
		expect(streams.monitor.iterated.ended || streams.monitor.attached.closed || monitorFeed.ended).toBe(false);

		await admin.admin.revokeRole({ userId: monitorId, cityRole: 'monitor' });
		await until(() => streams.monitor.iterated.ended && streams.monitor.attached.closed && monitorFeed.ended, 'the former monitor’s streams ended', BOUND_MS);

		await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.reportId });
		await until(() => streams.kept.iterated.types.length === 1 && streams.kept.attached.types.length === 1, 'the currentItem for the kept delegate', BOUND_MS);
		expect(streams).toEqual({
			monitor: { iterated: { types: [], ended: true }, attached: { types: [], closed: true } },
			revoked: { iterated: { types: [], ended: true }, attached: { types: [], closed: true } },
			kept: { iterated: { types: ['sitting.currentItem'], ended: false }, attached: { types: ['sitting.currentItem'], closed: false } }
		});
	});

	it('ends every stream of a deactivated account (notifications too) and of one whose password was reset', async () => {
		const s = await sittingInProgress(25);
		const after = (await s.chair.sitting.state({ sittingId: s.sittingId })).lastEventId;
		const admin = await as('admin');
		// Delegates beyond the 25 that later sittings check in: this one's account is closed.
		const closed = await signedIn('delegate.26743.26');
		const reset = await signedIn('delegate.26743.27');
		const closedStreams = { ...(await openBoth(closed, s.sittingId, after)), notifications: read(await closed.notification.stream()) };
		const resetStreams = await openBoth(reset, s.sittingId, after);

		expect(await admin.admin.deactivateUser({ userId: await userIdOf('delegate.26743.26') })).toEqual({ ok: true, sessionsEnded: 1 });
		await until(() => closedStreams.iterated.ended && closedStreams.attached.closed && closedStreams.notifications.ended, 'the deactivated account’s streams ended', BOUND_MS);
		expect(resetStreams.iterated.ended || resetStreams.attached.closed).toBe(false);

		await admin.admin.resetPassword({ userId: await userIdOf('delegate.26743.27') });
		await until(() => resetStreams.iterated.ended && resetStreams.attached.closed, 'the streams of the reset account ended', BOUND_MS);
	});
});

describe('against the running app (GET /api/trpc/sitting.events, answered by the direct route)', () => {
	let app: AppServer;
	beforeAll(async () => {
		app = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
	});
	afterAll(async () => {
		await app?.stop();
	});

	/** The raw SSE text of a stream as it arrives, and whether the server ended it. */
	async function openStream(client: HttpClient, sittingId: string, lastEventId: number) {
		const input = encodeURIComponent(JSON.stringify({ sittingId, lastEventId }));
		const res = await fetch(`${app.url}/api/trpc/sitting.events?input=${input}`, { headers: { accept: 'text/event-stream', cookie: client.cookie } });
		expect(res.status).toBe(200);
		const state = { text: '', ended: false };
		const decoder = new TextDecoder();
		void (async () => {
			for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) state.text += decoder.decode(chunk, { stream: true });
			state.ended = true;
		})();
		return state;
	}
	const currentItems = (text: string) => text.split('\n\n').filter((block) => block.includes('"type":"sitting.currentItem"')).length;

	it('ends the stream with `event: return` at logout; the other user’s stream receives the next currentItem', async () => {
		const s = await sittingInProgress(25);
		const after = (await s.chair.sitting.state({ sittingId: s.sittingId })).lastEventId;
		const leaving = new HttpClient(app.url);
		await leaving.login('delegate.26743.12');
		const staying = new HttpClient(app.url);
		await staying.login('delegate.26743.13');
		const mine = await openStream(leaving, s.sittingId, after);
		const theirs = await openStream(staying, s.sittingId, after);

		await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.reportId });
		await until(() => currentItems(mine.text) === 1 && currentItems(theirs.text) === 1, 'the first currentItem on both streams', BOUND_MS);

		await leaving.mutation('auth.logout');
		await until(() => mine.ended, 'the logged-out stream ended', BOUND_MS);
		expect(mine.text.endsWith('event: return\ndata: \n\n')).toBe(true);

		await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.itemId });
		await until(() => currentItems(theirs.text) === 2, 'the second currentItem on the other stream', BOUND_MS);
		expect({ mine: currentItems(mine.text), theirsEnded: theirs.ended }).toEqual({ mine: 1, theirsEnded: false });
	});
});
