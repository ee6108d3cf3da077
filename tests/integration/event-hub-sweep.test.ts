import { describe, expect, it } from 'vitest';
import { linkEvent } from '../../app/lib/server/domain/hash-chain';
import { EventHub } from '../../app/lib/server/realtime/event-hub';
import { PgListener } from '../../app/lib/server/realtime/pg-listener';
import { eventsAfter, sittingEventFromNotification, SITTING_EVENTS_CHANNEL, type SittingEvent } from '../../app/lib/server/sittings/events';
import { db } from '../helpers/callers';
import { convenedSitting } from '../helpers/sittings';

const until = async (check: () => boolean, ms = 5_000) => {
	for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
};

describe('EventHub sweep', () => {
	it('brings an event stored without a notice (a repair made by hand) within the sweep interval', async () => {
		const { sittingId } = await convenedSitting();
		const getDb = db();
		const listener = new PgListener({ connectionString: process.env.DATABASE_URL! });
		const hub = new EventHub<SittingEvent>({
			listener,
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
		// Linked into the chain and committed with no NOTIFY at all.
		const createdAt = new Date().toISOString();
		const stored = linkEvent({ seq: Number(head.last_seq), hash: head.head_hash }, { type: 'probe.unannounced', payload: { n: 1 }, createdAt });
		await getDb.transaction().execute(async (trx) => {
			await trx.insertInto('sitting_events').values({ sitting_id: sittingId, seq: stored.seq, type: stored.type, payload: JSON.stringify({ n: 1 }), created_at: createdAt, prev_hash: stored.prevHash, hash: stored.hash }).execute();
			await trx.updateTable('sittings').set({ last_seq: stored.seq, head_hash: stored.hash }).where('id', '=', sittingId).execute();
		});
		await until(() => got.length > 0, 3_000);
		expect(got).toEqual([stored.seq]);
		detach();
		await hub.stop();
		await listener.stop();
	});
});
