import { afterAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/callers';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { followSittingEvents } from '../helpers/sitting-follower';
import { holdSittingLock } from '../helpers/sitting-lock';
import { delegates, sittingInProgress } from '../helpers/sittings';
import { until } from '../helpers/until';

const servers: AppServer[] = [];
afterAll(async () => {
	await Promise.all(servers.map((s) => s.stop('SIGKILL')));
});

type Outcome = 'acknowledged' | 'refused' | 'unknown';

/** Backends waiting for a lock that the session `holderPid` holds (PostgreSQL's own lock graph). */
describe('crash safety (SIGKILL in the middle of a vote)', () => {
	it('keeps every acknowledged ballot exactly once, none refused, and resumes every subscriber without gap', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(30);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua?', kind: 'open' });
		// The restarted app comes back on the same address, so clients and screens reconnect to where they were.
		const port = await freePort();
		const first = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, port });
		servers.push(first);

		const names = delegates();
		const clients = await Promise.all(
			names.map(async (u) => {
				const c = new HttpClient(first.url);
				await c.login(u);
				return c;
			})
		);
		const observer = new HttpClient(first.url);
		await observer.login('secretary.26743');
		// A screen that records every event it is sent, across the crash and its reconnect.
		const startSeq = (await chair.sitting.state({ sittingId })).lastEventId;
		const screen = followSittingEvents(observer, sittingId, startSeq);

		const choiceOf = (i: number) => (i % 3 ? 'yes' : 'no');
		const cast = (i: number): Promise<Outcome> =>
			clients[i].mutation('vote.cast', { voteId, choice: choiceOf(i), idempotencyKey: `crash-${i}` }).then(
				() => 'acknowledged' as const,
				(err: { status?: number }) => (err.status && err.status >= 400 && err.status < 500 ? ('refused' as const) : ('unknown' as const))
			);

		// Ten delegates cast at once and are answered.
		expect(await Promise.all(names.slice(0, 10).map((_, i) => cast(i)))).toEqual(Array(10).fill('acknowledged'));

		// The other twenty cast while this test holds the sitting's row lock, as a long change of the sitting would.
		// Every write of a ballot needs that lock (a group's write skips a locked sitting and its casts come back
		// 'raced'; after three such rounds a cast waits for the lock), so none of the twenty can be answered before
		// the kill: they are certainly in flight, inside the server, when it dies. A kill timed on answers alone
		// could come after all thirty were answered and prove only restart + retry.
		const holder = await holdSittingLock(process.env.DATABASE_URL!, sittingId);
		let answered = 0;
		const secondWave = names.slice(10).map((_, k) => cast(10 + k).finally(() => answered++));
		await until(async () => (await holder.waiting()) > 0, 'a cast of the app waiting for the sitting’s lock', 20_000);
		const inFlightAtKill = secondWave.length - answered;
		await first.stop('SIGKILL');
		expect(inFlightAtKill).toBe(20);
		expect(await Promise.all(secondWave)).toEqual(Array(20).fill('unknown'));
		// The dead app's transactions can no longer commit: released now, they roll back when they find it gone.
		await holder.release();

		// Stored: exactly the acknowledged ballots, none of those cut off.
		const storedNames = async () =>
			(await db().selectFrom('open_ballots as b').innerJoin('users as u', 'u.id', 'b.user_id').select('u.username').where('b.vote_id', '=', voteId).execute()).map((r) => r.username).sort();
		expect(await storedNames()).toEqual(names.slice(0, 10).sort());

		// Restart on the same database and port: clients retry what they are unsure of, with the same key.
		const second = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, port });
		servers.push(second);
		for (let i = 10; i < 30; i++) expect(await cast(i)).toBe('acknowledged');
		// A retry of an acknowledged ballot gets the first answer, and adds nothing.
		expect(await cast(0)).toBe('acknowledged');
		expect(await storedNames()).toEqual([...names].sort());

		const chairHttp = new HttpClient(second.url);
		await chairHttp.login('chair.26743');
		const result = await chairHttp.mutation<{ yes: number; no: number; cast: number }>('vote.close', { voteId });
		expect({ yes: result.yes, no: result.no, cast: result.cast }).toEqual({ yes: 20, no: 10, cast: 30 });
		const count = await db().selectFrom('open_ballots').select(db().fn.countAll<string>().as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(30);

		// The screen saw every event exactly once, in order, across the crash: it reconnected (with the last id it
		// had) to the restarted app and caught up from the table.
		const last = Number((await db().selectFrom('sittings').select('last_seq').where('id', '=', sittingId).executeTakeFirstOrThrow()).last_seq);
		await until(() => screen.last >= last, `the screen received event ${last}`, 20_000);
		await screen.stop();
		const expected = Array.from({ length: last - startSeq }, (_, i) => startSeq + i + 1);
		expect(screen.seqs).toEqual(expected);
		expect(screen.ids).toEqual(expected.map(String));
		expect(screen.connections).toBeGreaterThan(1);
		await second.stop();
	});
});
