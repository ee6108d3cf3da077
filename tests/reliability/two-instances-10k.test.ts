import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { listen, post } from '../../bench/lib/sse-listener';
import { ownDatabase } from '../helpers/own-database';
import { until } from '../helpers/until';

// Two app instances on one PostgreSQL, as behind a load balancer: 10,000 events created alternately on each
// must reach every subscriber of both, in order, with no gap and no duplicate.

const EVENTS = 10_000;
const CONCURRENCY = 20; // one delegate per worker: each toggles their own attendance, alternating instances
const SUBSCRIBERS_PER_INSTANCE = 4;
const CODE = '26743';

let database: Awaited<ReturnType<typeof ownDatabase>>;
let apps: AppServer[] = [];

beforeAll(async () => {
	database = await ownDatabase('two-instances');
	apps = await Promise.all([startAppServer({ databaseUrl: database.url }), startAppServer({ databaseUrl: database.url })]);
});
afterAll(async () => {
	await Promise.all(apps.map((a) => a.stop()));
	await database?.stop();
});

describe('two instances, 10,000 events', () => {
	it('every subscriber on both instances receives every event in order, no gap, no duplicate', async () => {
		const [a, b] = apps;
		const chair = new HttpClient(a.url);
		await chair.login('chair.26743');
		const councils = await chair.query<{ id: string; code: string }[]>('council.list');
		const councilId = councils.find((c) => c.code === CODE)!.id;
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp tải', startsAt: new Date().toISOString() });
		await chair.mutation('sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		await chair.mutation('sitting.convene', { sittingId });
		const startSeq = (await chair.query<{ lastEventId: number }>('sitting.state', { sittingId })).lastEventId;

		// Sessions live in the database: one login per delegate serves on both instances.
		const cookies = await Promise.all(
			Array.from({ length: CONCURRENCY }, async (_, i) => {
				const c = new HttpClient(i % 2 ? b.url : a.url);
				await c.login(`delegate.${CODE}.${i + 1}`);
				return c.cookie;
			})
		);
		const readers = await Promise.all(
			['chair', 'secretary', 'clerk', 'delegate.26743.30'].map(async (who) => {
				const c = new HttpClient(a.url);
				await c.login(who.includes('.') ? who : `${who}.${CODE}`);
				return c.cookie;
			})
		);

		// Subscribers: several per instance, each recording the sequence numbers it receives.
		const controller = new AbortController();
		const subscribers: { instance: string; seqs: number[] }[] = [];
		const query = encodeURIComponent(JSON.stringify({ sittingId, lastEventId: String(startSeq) }));
		for (const [n, app] of apps.entries()) {
			for (let i = 0; i < SUBSCRIBERS_PER_INSTANCE; i++) {
				const sub = { instance: n ? 'B' : 'A', seqs: [] as number[] };
				subscribers.push(sub);
				await listen(`${app.url}/api/trpc/sitting.events?input=${query}`, { cookie: readers[i % readers.length] }, controller.signal, (data) => {
					sub.seqs.push((JSON.parse(data) as { seq: number }).seq);
				});
			}
		}

		// 10,000 check-ins over keep-alive HTTP, CONCURRENCY at a time, request k on instance k % 2.
		const started = performance.now();
		let next = 0;
		let done = 0;
		const failures: string[] = [];
		const worker = async (w: number) => {
			let toggle = 0;
			for (;;) {
				const k = next++;
				if (k >= EVENTS) return;
				const base = k % 2 ? b.url : a.url;
				const mode = toggle++ % 2 ? 'remote' : 'hall';
				const status = await post(`${base}/api/trpc/attendance.checkIn`, JSON.stringify({ sittingId, mode }), { cookie: cookies[w] }).catch(
					(err: Error) => `${err.message} after ${((performance.now() - started) / 1000).toFixed(1)} s, ${done} done`
				);
				done++;
				if (status !== 200) failures.push(`#${k} on ${k % 2 ? 'B' : 'A'}: ${status}`);
			}
		};
		await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
		const created = performance.now() - started;
		if (failures.length) console.log(failures.slice(0, 20).join('\n'), apps.map((x) => x.output().slice(-3000)).join('\n----\n'));
		expect(failures).toEqual([]);

		const lastSeq = (await chair.query<{ lastEventId: number }>('sitting.state', { sittingId })).lastEventId;
		expect(lastSeq - startSeq).toBe(EVENTS);
		await until(() => subscribers.every((s) => s.seqs.includes(lastSeq)), `every subscriber received event ${lastSeq}`, 60_000);
		const delivered = performance.now() - started;
		// One more event after the load (delegate 30, a reader that has not checked in yet, checks in): each stream
		// is ordered, so once every subscriber has it, anything the load made them send (a late duplicate
		// included) has arrived before it.
		expect(await post(`${a.url}/api/trpc/attendance.checkIn`, JSON.stringify({ sittingId, mode: 'hall' }), { cookie: readers[3] })).toBe(200);
		const marker = lastSeq + 1;
		expect((await chair.query<{ lastEventId: number }>('sitting.state', { sittingId })).lastEventId).toBe(marker);
		await until(() => subscribers.every((s) => s.seqs.includes(marker)), `every subscriber received the marker event ${marker}`, 10_000);
		controller.abort();

		const expected = Array.from({ length: EVENTS + 1 }, (_, i) => startSeq + i + 1);
		for (const [i, s] of subscribers.entries()) {
			const label = `subscriber ${i + 1} on ${s.instance}`;
			const unique = new Set(s.seqs);
			const missing = expected.filter((q) => !unique.has(q));
			const outOfOrder = s.seqs.findIndex((q, j) => j > 0 && q <= s.seqs[j - 1]);
			expect({ label, received: s.seqs.length, duplicates: s.seqs.length - unique.size, missing: missing.slice(0, 10), firstOutOfOrder: outOfOrder }).toEqual({
				label,
				received: EVENTS + 1,
				duplicates: 0,
				missing: [],
				firstOutOfOrder: -1
			});
			expect(s.seqs).toEqual(expected);
		}
		console.log(
			`two instances: ${EVENTS} events created in ${(created / 1000).toFixed(1)} s (${Math.round(EVENTS / (created / 1000))}/s, concurrency ${CONCURRENCY}); ` +
				`all delivered to ${subscribers.length} subscribers (${SUBSCRIBERS_PER_INSTANCE} per instance) after ${(delivered / 1000).toFixed(1)} s`
		);
		for (const app of apps) expect(app.process.exitCode).toBeNull();
	});
});
