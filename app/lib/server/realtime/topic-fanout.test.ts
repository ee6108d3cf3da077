import { describe, expect, it } from 'vitest';
import { TopicFanout } from './topic-fanout';

interface Ev {
	seq: number;
}

/** A topic's stored events, and a fan-out reading them, with control over when reads answer. */
function setUp(stored: number[]) {
	const table = stored.map((seq) => ({ seq }));
	let reads = 0;
	let gate: Promise<void> = Promise.resolve();
	const fanout = new TopicFanout<Ev>({
		fetchAfter: async (_topic, after) => {
			reads++;
			await gate;
			return table.filter((e) => e.seq > after);
		},
		currentSeq: async () => table.at(-1)?.seq ?? 0,
		currentSeqs: async (topics) => new Map(topics.map((t) => [t, table.at(-1)?.seq ?? 0]))
	});
	const store = (seq: number) => {
		const e = { seq };
		table.push(e);
		return e;
	};
	return {
		fanout,
		store,
		reads: () => reads,
		hold: () => {
			let open!: () => void;
			gate = new Promise((r) => (open = r));
			return () => open();
		}
	};
}

function sink() {
	const seen: number[] = [];
	return { seen, deliver: (e: Ev) => seen.push(e.seq), close: () => seen.push(-1) };
}

const settle = () => new Promise((r) => setTimeout(r, 5));

describe('TopicFanout', () => {
	it('sends the stored backlog after the resume point, then live events without reading them', async () => {
		const t = setUp([1, 2, 3]);
		const s = sink();
		t.fanout.attach('a', 1, s);
		await settle();
		expect(s.seen).toEqual([2, 3]);
		const readsBefore = t.reads();
		t.fanout.publish('a', 4, t.store(4));
		t.fanout.publish('a', 5, t.store(5));
		expect(s.seen).toEqual([2, 3, 4, 5]);
		expect(t.reads()).toBe(readsBefore);
	});

	it('reads the table once for every subscriber when an event comes without its body', async () => {
		const t = setUp([1]);
		const a = sink();
		const b = sink();
		t.fanout.attach('a', 1, a);
		t.fanout.attach('a', 1, b);
		await settle();
		const readsBefore = t.reads();
		t.store(2);
		t.fanout.publish('a', 2, null);
		await settle();
		expect(a.seen).toEqual([2]);
		expect(b.seen).toEqual([2]);
		expect(t.reads()).toBe(readsBefore + 1);
	});

	it('fills a jump in sequence from the table, in order, and ignores repeats', async () => {
		const t = setUp([1]);
		const s = sink();
		t.fanout.attach('a', 1, s);
		await settle();
		t.store(2);
		t.store(3);
		t.fanout.publish('a', 3, { seq: 3 });
		t.fanout.publish('a', 3, { seq: 3 });
		await settle();
		t.fanout.publish('a', 2, { seq: 2 });
		expect(s.seen).toEqual([2, 3]);
	});

	it('holds live events that arrive while the backlog is being read, then sends them once, in order', async () => {
		const t = setUp([1, 2]);
		// The topic is opened first, so its head is known before the slow backlog read.
		const early = sink();
		t.fanout.attach('a', 2, early);
		await settle();
		const open = t.hold();
		const s = sink();
		t.fanout.attach('a', 0, s);
		await settle();
		t.fanout.publish('a', 3, t.store(3));
		t.fanout.publish('a', 4, t.store(4));
		expect(s.seen).toEqual([]);
		open();
		await settle();
		expect(s.seen).toEqual([1, 2, 3, 4]);
		expect(early.seen).toEqual([3, 4]);
	});

	it('stops delivering after detach and closes every sink when the hub stops', async () => {
		const t = setUp([]);
		const gone = sink();
		const stays = sink();
		const detach = t.fanout.attach('a', 0, gone);
		t.fanout.attach('a', 0, stays);
		await settle();
		detach();
		t.fanout.publish('a', 1, t.store(1));
		await settle();
		expect(gone.seen).toEqual([]);
		expect(stays.seen).toEqual([1]);
		t.fanout.closeAll();
		expect(stays.seen).toEqual([1, -1]);
		expect(t.fanout.subscriberCount).toBe(0);
	});

	it('sweep: reads a topic whose head moved without a notice, and only such a topic', async () => {
		const t = setUp([1, 2]);
		const s = sink();
		t.fanout.attach('sitting', 2, s);
		await settle();
		const readsBefore = t.reads();
		await t.fanout.sweep(); // nothing new: no read of events
		await settle();
		expect(t.reads()).toBe(readsBefore);
		t.store(3); // committed, its notice lost
		await t.fanout.sweep();
		await settle();
		expect(s.seen).toEqual([3]);
		t.fanout.publish('sitting', 3, { seq: 3 }); // the notice after all: not delivered twice
		await settle();
		expect(s.seen).toEqual([3]);
	});
});
