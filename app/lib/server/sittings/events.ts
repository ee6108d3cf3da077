import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database } from '../../../../db/schema.js';
import { linkEvent } from '../domain/hash-chain';

export const SITTING_EVENTS_CHANNEL = 'sitting_events';

export interface SittingEvent {
	sittingId: string;
	/** Monotonic per sitting, 1, 2, 3 … with no gaps: the id a client resumes from. */
	seq: number;
	type: string;
	payload: Record<string, unknown>;
	createdAt: string;
}

export type Trx = Transaction<Database>;

/**
 * Takes the sitting's row lock. Every transaction that changes a sitting takes it first, so changes of one
 * sitting are serialised (the event chain needs that) and locks are always taken in the same order.
 */
export async function lockSitting(trx: Trx, sittingId: string) {
	return trx.selectFrom('sittings').selectAll().where('id', '=', sittingId).forUpdate().executeTakeFirst();
}

/**
 * Appends an event in the caller's transaction, so the event exists exactly when the change it describes does.
 * The NOTIFY is delivered by PostgreSQL at commit, to every app instance.
 */
export async function appendEvent(trx: Trx, sittingId: string, type: string, payload: Record<string, unknown>): Promise<SittingEvent> {
	const head = await trx
		.selectFrom('sittings')
		.select(['last_seq', 'head_hash'])
		.where('id', '=', sittingId)
		.forUpdate()
		.executeTakeFirstOrThrow();
	const createdAt = new Date().toISOString();
	const stored = linkEvent(head.last_seq > 0 ? { seq: Number(head.last_seq), hash: head.head_hash } : null, { type, payload, createdAt });
	// One statement: the event, the new head, and the notification (delivered at commit).
	await sql`
		with event as (
			insert into sitting_events (sitting_id, seq, type, payload, created_at, prev_hash, hash)
			values (${sittingId}, ${stored.seq}, ${type}, ${JSON.stringify(payload)}::jsonb, ${createdAt}, ${stored.prevHash}, ${stored.hash})
		), head as (
			update sittings set last_seq = ${stored.seq}, head_hash = ${stored.hash} where id = ${sittingId}
		)
		select pg_notify(${SITTING_EVENTS_CHANNEL}, ${`${sittingId}:${stored.seq}`})`.execute(trx);
	return { sittingId, seq: stored.seq, type, payload, createdAt };
}

export async function eventsAfter(db: Db, sittingId: string, afterSeq: number, limit = 10_000): Promise<SittingEvent[]> {
	const rows = await db
		.selectFrom('sitting_events')
		.select(['seq', 'type', 'payload', 'created_at'])
		.where('sitting_id', '=', sittingId)
		.where('seq', '>', afterSeq)
		.orderBy('seq')
		.limit(limit)
		.execute();
	return rows.map((r) => ({ sittingId, seq: Number(r.seq), type: r.type, payload: r.payload as Record<string, unknown>, createdAt: r.created_at }));
}
