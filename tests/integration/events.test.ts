import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNotifyPayload } from '../../app/lib/server/realtime/notify-payload';
import { SITTING_EVENTS_CHANNEL } from '../../app/lib/server/sittings/events';
import { as } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient, subscribe, type SseMessage } from '../helpers/http-client';
import { convenedSitting, delegates, sittingInProgress } from '../helpers/sittings';

async function take(stream: AsyncGenerator<SseMessage>, n: number): Promise<SseMessage[]> {
	const out: SseMessage[] = [];
	while (out.length < n) {
		const next = await stream.next();
		if (next.done) break;
		out.push(next.value);
	}
	return out;
}

describe('sitting.events (in process)', () => {
	it('replays exactly the missed events after lastEventId, then continues live, with no gap or duplicate', async () => {
		const { sittingId, chair } = await convenedSitting();
		const before = (await chair.sitting.state({ sittingId })).lastEventId; // 4 events so far
		const delegate = await as('delegate.26743.1');
		// A tracked event reaches an in-process caller as tRPC's envelope: [id, data].
		const stream = (await delegate.sitting.events({ sittingId, lastEventId: '2' })) as AsyncIterable<[string, { seq: number; type: string }]>;
		const iterator = stream[Symbol.asyncIterator]();
		const seen: number[] = [];
		for (let i = 0; i < before - 2; i++) {
			const [id, data] = (await iterator.next()).value;
			expect(id).toBe(String(data.seq));
			seen.push(data.seq);
		}
		expect(seen).toEqual([3, 4]);
		// Live: ten check-ins arrive through the hub (LISTEN/NOTIFY), in order.
		for (const u of delegates().slice(0, 10)) await (await as(u)).attendance.checkIn({ sittingId, mode: 'hall' });
		const live: { seq: number; type: string }[] = [];
		for (let i = 0; i < 10; i++) live.push((await iterator.next()).value[1]);
		expect(live.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
		expect(live.every((e) => e.type === 'attendance.changed')).toBe(true);
		await iterator.return?.(undefined);
	});
});

describe('two app instances on one database', () => {
	let a: AppServer;
	let b: AppServer;
	beforeAll(async () => {
		[a, b] = await Promise.all([startAppServer({ databaseUrl: process.env.DATABASE_URL! }), startAppServer({ databaseUrl: process.env.DATABASE_URL! })]);
	});
	afterAll(async () => {
		await Promise.all([a?.stop(), b?.stop()]);
	});

	it('both deliver an event created on either, and a reconnect resumes from lastEventId', async () => {
		const { sittingId } = await convenedSitting();
		const onA = new HttpClient(a.url);
		const onB = new HttpClient(b.url);
		await onA.login('secretary.26743');
		await onB.login('delegate.26743.9');
		const controller = new AbortController();
		const streamA = subscribe(onA, 'sitting.events', { sittingId, lastEventId: '4' }, controller.signal);
		const streamB = subscribe(onB, 'sitting.events', { sittingId, lastEventId: '4' }, controller.signal);
		// Make sure both streams are attached before creating events.
		await new Promise((r) => setTimeout(r, 300));

		const viaA = new HttpClient(a.url);
		await viaA.login('delegate.26743.1');
		await viaA.mutation('attendance.checkIn', { sittingId, mode: 'hall' });
		const viaB = new HttpClient(b.url);
		await viaB.login('delegate.26743.2');
		await viaB.mutation('attendance.checkIn', { sittingId, mode: 'remote' });

		const [gotA, gotB] = await Promise.all([take(streamA, 2), take(streamB, 2)]);
		for (const got of [gotA, gotB]) {
			expect(got.map((m) => m.id)).toEqual(['5', '6']);
			expect(got.map((m) => (m.data as { payload: { status: string } }).payload.status)).toEqual(['present_hall', 'present_remote']);
		}
		controller.abort();

		// A dropped connection resumes: events made meanwhile arrive, none twice.
		await viaA.mutation('attendance.checkIn', { sittingId, mode: 'remote' });
		const again = new AbortController();
		const resumed = await take(subscribe(onB, 'sitting.events', { sittingId, lastEventId: '6' }, again.signal), 1);
		expect(resumed.map((m) => m.id)).toEqual(['7']);
		again.abort();
	});

	it('a ballot cast on one instance reaches the screens on both, once each and in order (notified at its commit)', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(30);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua?', kind: 'open', rule: 'majority' });
		const after = String((await chair.sitting.state({ sittingId })).lastEventId);
		const watchA = new HttpClient(a.url);
		const watchB = new HttpClient(b.url);
		await watchA.login('secretary.26743');
		await watchB.login('secretary.26743');
		const controller = new AbortController();
		const streamA = subscribe(watchA, 'sitting.events', { sittingId, lastEventId: after }, controller.signal);
		const streamB = subscribe(watchB, 'sitting.events', { sittingId, lastEventId: after }, controller.signal);
		// The notices themselves, as any listening instance receives them (not just the 5-s sweep catching up).
		const listener = new pg.Client({ connectionString: process.env.DATABASE_URL });
		await listener.connect();
		const notices: string[] = [];
		listener.on('notification', (n) => notices.push(n.payload ?? ''));
		await listener.query(`LISTEN ${SITTING_EVENTS_CHANNEL}`);
		await new Promise((r) => setTimeout(r, 300));
		for (const [i, username] of ['delegate.26743.1', 'delegate.26743.2', 'delegate.26743.3'].entries()) {
			const voter = new HttpClient(a.url); // every ballot through instance A's direct route
			await voter.login(username);
			await voter.mutation('vote.cast', { voteId, choice: i % 2 ? 'no' : 'yes' });
		}
		const [gotA, gotB] = await Promise.all([take(streamA, 3), take(streamB, 3)]);
		controller.abort();
		for (const got of [gotA, gotB]) {
			expect(got.map((m) => (m.data as { type: string }).type)).toEqual(['vote.ballot', 'vote.ballot', 'vote.ballot']);
			expect(got.map((m) => (m.data as { payload: { voted: number } }).payload.voted)).toEqual([1, 2, 3]);
			expect(got.map((m) => Number(m.id))).toEqual([1, 2, 3].map((k) => Number(after) + k));
		}
		for (let i = 0; i < 50 && notices.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
		await listener.end();
		const seqs = notices.map((n) => decodeNotifyPayload(n)).filter((n) => n?.topic === sittingId).map((n) => n!.seq);
		expect(seqs).toEqual([1, 2, 3].map((k) => Number(after) + k));
	});

	it('refuses the subscription to a delegate of another council', async () => {
		const { sittingId } = await convenedSitting();
		const outsider = new HttpClient(a.url);
		await outsider.login('delegate.26740.1');
		const res = await fetch(`${a.url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify({ sittingId }))}`, { headers: { cookie: outsider.cookie, accept: 'text/event-stream' } });
		const text = await res.text();
		expect(text).toContain('FORBIDDEN');
	});

	it('answers refusals and bad input as tRPC does, and resumes from the Last-Event-ID header of a reconnect', async () => {
		const { sittingId } = await convenedSitting();
		const url = (input: unknown) => `${a.url}/api/trpc/sitting.events?input=${encodeURIComponent(JSON.stringify(input))}`;
		const anonymous = await (await fetch(url({ sittingId }), { headers: { accept: 'text/event-stream' } })).text();
		expect(anonymous).toContain('UNAUTHORIZED');
		const reader = new HttpClient(a.url);
		await reader.login('secretary.26743');
		const bad = await (await fetch(url({ sittingId: 'not-a-uuid' }), { headers: { cookie: reader.cookie, accept: 'text/event-stream' } })).text();
		expect(bad).toContain('BAD_REQUEST');
		expect(bad).toContain('Dữ liệu không hợp lệ');

		// An EventSource reconnecting sends the last id it saw as a header: the stream starts right after it.
		const controller = new AbortController();
		const res = await fetch(url({ sittingId }), { headers: { cookie: reader.cookie, accept: 'text/event-stream', 'last-event-id': '3' }, signal: controller.signal });
		expect(res.headers.get('content-type')).toBe('text/event-stream');
		const body = res.body!.getReader();
		let text = '';
		while (!text.includes('id: 4\n')) text += new TextDecoder().decode((await body.read()).value);
		controller.abort();
		expect(text.startsWith('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\n')).toBe(true);
		expect(text).not.toContain('id: 3\n');
	});
});
