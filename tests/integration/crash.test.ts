import { afterAll, describe, expect, it } from 'vitest';
import { db } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { delegates, sittingInProgress } from '../helpers/sittings';
import { listen } from '../../bench/lib/sse-listener';

const servers: AppServer[] = [];
afterAll(async () => {
	await Promise.all(servers.map((s) => s.stop('SIGKILL')));
});

describe('crash safety (SIGKILL in the middle of a vote)', () => {
	it('keeps every acknowledged ballot exactly once, none refused, and resumes every subscriber without gap', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(30);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua?', kind: 'open' });
		const port = (await import('../helpers/app-server')).freePort;
		const fixedPort = await port();
		const first = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, port: fixedPort });
		servers.push(first);

		const clients = await Promise.all(
			delegates().map(async (u) => {
				const c = new HttpClient(first.url);
				await c.login(u);
				return c;
			})
		);
		const observer = new HttpClient(first.url);
		await observer.login('secretary.26743');

		// A subscriber that records every event id it sees, across the crash and the reconnect.
		const seen: number[] = [];
		let lastEventId = (await chair.sitting.state({ sittingId })).lastEventId;
		const startSeq = lastEventId;
		const attach = (base: string, signal: AbortSignal) =>
			listen(`${base}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId, lastEventId: String(lastEventId) }))}`, { cookie: observer.cookie }, signal, (data) => {
				const seq = (JSON.parse(data) as { seq: number }).seq;
				seen.push(seq);
				lastEventId = seq;
			});
		const before = new AbortController();
		await attach(first.url, before.signal);

		// Everyone casts at once; the server is killed while the casts are in flight.
		let acknowledged = 0;
		let killNow: () => void = () => {};
		const enoughAcknowledged = new Promise<void>((resolve) => (killNow = resolve));
		const outcomes = clients.map((c, i) =>
			c.mutation('vote.cast', { voteId, choice: i % 3 ? 'yes' : 'no', idempotencyKey: `crash-${i}` }).then(
				() => {
					if (++acknowledged === 10) killNow();
					return 'acknowledged' as const;
				},
				(err: { status?: number }) => (err.status && err.status >= 400 && err.status < 500 ? ('refused' as const) : ('unknown' as const))
			)
		);
		await Promise.race([enoughAcknowledged, new Promise((r) => setTimeout(r, 5000))]);
		await first.stop('SIGKILL');
		const results = await Promise.all(outcomes);
		before.abort();

		const stored = new Set(
			(await db().selectFrom('open_ballots as b').innerJoin('users as u', 'u.id', 'b.user_id').select('u.username').where('b.vote_id', '=', voteId).execute()).map((r) => r.username)
		);
		const names = delegates();
		results.forEach((outcome, i) => {
			if (outcome === 'acknowledged') expect(stored.has(names[i])).toBe(true);
			if (outcome === 'refused') expect(stored.has(names[i])).toBe(false);
		});
		expect(results.filter((r) => r === 'refused')).toEqual([]);
		expect(results.filter((r) => r === 'acknowledged').length).toBeGreaterThanOrEqual(10);
		console.log('crash test outcomes:', JSON.stringify(results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r]: (acc[r] ?? 0) + 1 }), {})));

		// Restart on the same database and port: clients retry what they are unsure of, with the same key.
		const second = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, port: fixedPort });
		servers.push(second);
		const after = new AbortController();
		await attach(second.url, after.signal);
		for (const [i, outcome] of results.entries()) {
			if (outcome !== 'acknowledged') await clients[i].mutation('vote.cast', { voteId, choice: i % 3 ? 'yes' : 'no', idempotencyKey: `crash-${i}` });
		}
		// A retry of an acknowledged ballot gets the first answer, and adds nothing.
		await clients[0].mutation('vote.cast', { voteId, choice: 'no', idempotencyKey: 'crash-0' });

		const chairHttp = new HttpClient(second.url);
		await chairHttp.login('chair.26743');
		const result = await chairHttp.mutation<{ yes: number; no: number; cast: number }>('vote.close', { voteId });
		expect(result).toMatchObject({ yes: 20, no: 10, cast: 30 });
		const count = await db().selectFrom('open_ballots').select(db().fn.countAll<number>().as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		expect(Number(count.n)).toBe(30);

		// The subscriber saw every event exactly once, in order, across the crash.
		await new Promise((r) => setTimeout(r, 500));
		after.abort();
		const last = (await db().selectFrom('sittings').select('last_seq').where('id', '=', sittingId).executeTakeFirstOrThrow()).last_seq;
		expect(seen).toEqual(Array.from({ length: Number(last) - startSeq }, (_, i) => startSeq + i + 1));
		await second.stop();
	});
});
