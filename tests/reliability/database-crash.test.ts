import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { crashableDatabase } from '../helpers/crashable-database';
import { HttpClient } from '../helpers/http-client';
import { followSittingEvents } from '../helpers/sitting-follower';
import { holdSittingLock } from '../helpers/sitting-lock';
import { delegates, COUNCIL } from '../helpers/sittings';
import { until } from '../helpers/until';

// PostgreSQL killed with SIGKILL (a power cut of the database server, not a clean stop) in the middle of a vote:
// no shutdown checkpoint, connections cut, transactions in flight lost. After it is started again (crash recovery
// from its WAL) every ballot the app acknowledged must be there, the same app process must serve again without a
// restart, and a screen following the sitting must end up with every event once, in order.

let database: Awaited<ReturnType<typeof crashableDatabase>>;
let app: AppServer;

beforeAll(async () => {
	database = await crashableDatabase('pg-crash');
	app = await startAppServer({ databaseUrl: database.url });
});
afterAll(async () => {
	await app?.stop();
	await database?.stop();
});

/** One statement on a connection of its own (the test's view of the database, apart from the app's pools). */
async function queryDb<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
	const client = new pg.Client({ connectionString: database.url });
	await client.connect();
	try {
		return (await client.query<R>(text, values)).rows;
	} finally {
		await client.end();
	}
}

type Outcome = 'acknowledged' | 'refused' | 'unknown';

describe('PostgreSQL killed with SIGKILL during a vote', () => {
	it('keeps every acknowledged ballot, the app heals without a restart, and the live stream resumes without gap or duplicate', async () => {
		const chair = new HttpClient(app.url);
		await chair.login(`chair.${COUNCIL}`);
		const councilId = (await chair.query<{ id: string; code: string }[]>('council.list')).find((c) => c.code === COUNCIL)!.id;
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp', startsAt: new Date().toISOString() });
		const { itemId } = await chair.mutation<{ itemId: string }>('sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình' });
		await chair.mutation('sitting.convene', { sittingId });
		const names = delegates();
		const clients = await Promise.all(
			names.map(async (u) => {
				const c = new HttpClient(app.url);
				await c.login(u);
				await c.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
				return c;
			})
		);
		await chair.mutation('sitting.start', { sittingId });
		await chair.mutation('sitting.setCurrentItem', { sittingId, itemId });
		const { voteId } = await chair.mutation<{ voteId: string }>('vote.open', { sittingId, itemId, question: 'Thông qua?', kind: 'open' });

		const observer = new HttpClient(app.url);
		await observer.login(`secretary.${COUNCIL}`);
		const startSeq = (await chair.query<{ lastEventId: number }>('sitting.state', { sittingId })).lastEventId;
		const screen = followSittingEvents(observer, sittingId, startSeq);

		const choiceOf = (i: number) => (i % 3 ? 'yes' : 'no');
		const cast = (i: number): Promise<Outcome> =>
			clients[i].mutation('vote.cast', { voteId, choice: choiceOf(i), idempotencyKey: `pg-crash-${i}` }).then(
				() => 'acknowledged' as const,
				(err: { status?: number }) => (err.status && err.status >= 400 && err.status < 500 ? ('refused' as const) : ('unknown' as const))
			);

		// Ten ballots acknowledged (each committed and flushed before its answer) and seen live.
		expect(await Promise.all(names.slice(0, 10).map((_, i) => cast(i)))).toEqual(Array(10).fill('acknowledged'));
		await until(() => screen.last >= startSeq + 10, 'the screen saw the ten ballots', 10_000);
		const seenBeforeCrash = screen.last;

		// Twenty more cast while this test holds the sitting's row lock: none of them can commit (every ballot write
		// needs that lock), so when PostgreSQL dies they are certainly inside it, mid-transaction, unanswered.
		const holder = await holdSittingLock(database.url, sittingId);
		let answered = 0;
		const secondWave = names.slice(10).map((_, k) => cast(10 + k).finally(() => answered++));
		await until(async () => (await holder.waiting()) > 0, 'a cast of the app waiting inside PostgreSQL for the sitting’s lock', 20_000);
		const inFlightAtKill = secondWave.length - answered;
		await database.kill();
		expect(inFlightAtKill).toBe(20);
		await holder.release(); // its connection was cut by the kill

		// While it is down the app stays up and says so: the cut-off casts fail (the client cannot know their fate)
		// and health answers 503.
		expect(await Promise.all(secondWave)).toEqual(Array(20).fill('unknown'));
		expect((await fetch(`${app.url}/api/health`)).status).toBe(503);
		expect(app.process.exitCode).toBeNull();

		// Back up on the same data directory and port: PostgreSQL replays its WAL. The acknowledged ballots are
		// there; the casts that were cut off are not (their transactions never committed).
		await database.start();
		const stored = async () =>
			(await queryDb<{ username: string }>('select u.username from open_ballots b join users u on u.id = b.user_id where b.vote_id = $1', [voteId])).map((r) => r.username).sort();
		expect(await stored()).toEqual(names.slice(0, 10).sort());

		// The same app process heals by itself: its pools reconnect, with no restart and nothing done to it.
		const healedIn = await until(async () => (await fetch(`${app.url}/api/health`)).status === 200, 'the app answers health 200 again', 30_000);
		for (let i = 10; i < 30; i++) expect(await cast(i)).toBe('acknowledged');
		expect(await cast(0)).toBe('acknowledged'); // a retry of an acknowledged ballot adds nothing
		expect(await stored()).toEqual([...names].sort());
		const result = await chair.mutation<{ yes: number; no: number; cast: number }>('vote.close', { voteId });
		expect({ yes: result.yes, no: result.no, cast: result.cast }).toEqual({ yes: 20, no: 10, cast: 30 });
		const last = Number((await queryDb<{ last_seq: string }>('select last_seq from sittings where id = $1', [sittingId]))[0].last_seq);
		expect(await chair.query('sitting.verifyChain', { sittingId })).toEqual({ ok: true, events: last, head: expect.any(String) });

		// The screen that followed all along has every event once, in order, across the crash.
		await until(() => screen.last >= last, `the screen received event ${last}`, 20_000);
		await screen.stop();
		const expected = (from: number) => Array.from({ length: last - from }, (_, i) => from + i + 1);
		expect(screen.seqs).toEqual(expected(startSeq));
		expect(screen.ids).toEqual(expected(startSeq).map(String));

		// A screen that lost its stream at the crash resumes from the last id it had and gets exactly the rest.
		const late = followSittingEvents(observer, sittingId, seenBeforeCrash);
		await until(() => late.last >= last, `the resumed screen received event ${last}`, 20_000);
		await late.stop();
		expect(late.seqs).toEqual(expected(seenBeforeCrash));
		expect(late.connections).toBe(1);

		expect(app.process.exitCode).toBeNull();
		console.log(`PostgreSQL SIGKILL: 20 casts in flight at the kill, app healthy ${healedIn} ms after the restart; the following screen used ${screen.connections} stream(s)`);
	});
});
