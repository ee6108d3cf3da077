import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Notifier } from '../../app/lib/server/realtime/notifier';
import { EventHub } from '../../app/lib/server/realtime/event-hub';
import { appendEventAt, eventsAfter, sittingEventFromNotification, SITTING_EVENTS_CHANNEL, type SittingEvent } from '../../app/lib/server/sittings/events';
import { db } from '../helpers/callers';
import { convenedSitting } from '../helpers/sittings';

const url = process.env.DATABASE_URL!;
let listener: pg.Client;
const heard: { channel: string; payload: string }[] = [];

beforeAll(async () => {
	listener = new pg.Client({ connectionString: url });
	await listener.connect();
	listener.on('notification', (n) => heard.push({ channel: n.channel, payload: n.payload ?? '' }));
	await listener.query('LISTEN notifier_probe');
});
afterAll(() => listener.end());

const until = async (check: () => boolean, ms = 5_000) => {
	for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe('Notifier (notices sent after the commit, batched)', () => {
	it('delivers every notice once, in the order given, even a burst of thousands', async () => {
		heard.length = 0;
		const notifier = new Notifier(url);
		for (let i = 1; i <= 3_000; i++) notifier.notify('notifier_probe', `n:${i}`);
		await notifier.flushed();
		await until(() => heard.length >= 3_000);
		expect(heard.map((h) => h.payload)).toEqual(Array.from({ length: 3_000 }, (_, i) => `n:${i + 1}`));
		await notifier.stop();
	});

	it('sends again on a new connection when its connection is killed', async () => {
		heard.length = 0;
		const notifier = new Notifier(url, 50);
		notifier.notify('notifier_probe', 'before');
		await notifier.flushed();
		const killed = await listener.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = 'nts-notifier'");
		expect(killed.rowCount).toBe(1);
		notifier.notify('notifier_probe', 'after');
		await notifier.flushed();
		await until(() => heard.some((h) => h.payload === 'after'));
		expect(heard.map((h) => h.payload)).toEqual(['before', 'after']);
		await notifier.stop();
	});

	it('sends what is waiting when stopped', async () => {
		heard.length = 0;
		const notifier = new Notifier(url);
		notifier.notify('notifier_probe', 'last words');
		await notifier.stop();
		await until(() => heard.length >= 1);
		expect(heard.map((h) => h.payload)).toEqual(['last words']);
	});
});

describe('EventHub sweep', () => {
	it('brings an event whose notice never came (its writer died after the commit) within the sweep interval', async () => {
		const { sittingId } = await convenedSitting();
		const getDb = db();
		const hub = new EventHub<SittingEvent>({
			connectionString: url,
			channel: SITTING_EVENTS_CHANNEL,
			sweepIntervalMs: 200,
			fetchAfter: (id, after) => eventsAfter(getDb, id, after),
			fromNotification: sittingEventFromNotification,
			currentSeq: async (id) => Number((await getDb.selectFrom('sittings').select('last_seq').where('id', '=', id).executeTakeFirstOrThrow()).last_seq),
			currentSeqs: async (ids) => new Map((await getDb.selectFrom('sittings').select(['id', 'last_seq']).where('id', 'in', ids).execute()).map((r) => [r.id, Number(r.last_seq)]))
		});
		await hub.start();
		const head = await getDb.selectFrom('sittings').select(['last_seq', 'head_hash']).where('id', '=', sittingId).executeTakeFirstOrThrow();
		const got: number[] = [];
		const detach = hub.attach(sittingId, Number(head.last_seq), { deliver: (e) => got.push(e.seq), close: () => {} });
		await new Promise((r) => setTimeout(r, 100));
		// Committed with its notice left to the caller, who never sends it.
		const written = await appendEventAt(getDb, sittingId, head, 'probe.unannounced', { n: 1 }, [], 'by-caller');
		expect(written).not.toBeNull();
		await until(() => got.length > 0, 3_000);
		expect(got).toEqual([written!.seq]);
		detach();
		await hub.stop();
	});
});
