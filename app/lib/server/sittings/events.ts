import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database } from '../../../../db/schema.js';
import { linkEvent } from '../domain/hash-chain';
import { encodeNotifyPayload } from '../realtime/notify-payload';

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

export interface ChainHead {
	last_seq: number | string;
	head_hash: string;
}

export interface AppendOptions {
	/** The head as last read; with the sitting locked it is the head, otherwise the append is conditional. */
	head?: ChainHead;
	/**
	 * Writes that belong to the same change, as CTEs (`name as (insert … select … from head)`), run in the
	 * event's statement and only when the head moved (select from, or check `exists`, the `head` CTE).
	 */
	alongside?: RawBuilder<unknown>[];
}

/**
 * The event, its companion writes, the new head and the notification (delivered at commit) in ONE statement,
 * applied only if the sitting's head is still `head`. Returns the event, or null when another change came
 * first (nothing was written). The notification carries the event itself when it fits, so listening
 * instances need not read it back.
 */
export async function appendEventAt(
	executor: Db | Trx,
	sittingId: string,
	head: ChainHead,
	type: string,
	payload: Record<string, unknown>,
	alongside: RawBuilder<unknown>[] = []
): Promise<SittingEvent | null> {
	const createdAt = new Date().toISOString();
	const lastSeq = Number(head.last_seq);
	const stored = linkEvent(lastSeq > 0 ? { seq: lastSeq, hash: head.head_hash } : null, { type, payload, createdAt });
	const notice = encodeNotifyPayload(sittingId, stored.seq, { type, payload, createdAt });
	const companions = alongside.length ? sql`, ${sql.join(alongside)}` : sql``;
	const { rows } = await sql<{ notified: unknown }>`/* prepared */
		with head as (
			update sittings set last_seq = ${stored.seq}, head_hash = ${stored.hash} where id = ${sittingId} and last_seq = ${lastSeq} returning id
		)${companions}, event as (
			insert into sitting_events (sitting_id, seq, type, payload, created_at, prev_hash, hash)
			select ${sittingId}::uuid, ${stored.seq}::bigint, ${type}::text, ${JSON.stringify(payload)}::jsonb, ${createdAt}::text, ${stored.prevHash}::text, ${stored.hash}::text from head
		)
		select pg_notify(${SITTING_EVENTS_CHANNEL}, ${notice}) as notified from head`.execute(executor);
	return rows.length === 1 ? { sittingId, seq: stored.seq, type, payload, createdAt } : null;
}

/**
 * Appends an event in the caller's transaction, which holds the sitting's lock (lockSitting), so the event
 * exists exactly when the change it describes does.
 */
export async function appendEvent(trx: Trx, sittingId: string, type: string, payload: Record<string, unknown>, options: AppendOptions = {}): Promise<SittingEvent> {
	const head =
		options.head ??
		(await trx.selectFrom('sittings').select(['last_seq', 'head_hash']).where('id', '=', sittingId).forUpdate().executeTakeFirstOrThrow());
	const event = await appendEventAt(trx, sittingId, head, type, payload, options.alongside);
	// Under the lock nobody else can move the head; if it moved, the caller did not hold the lock.
	if (!event) throw new Error(`sitting ${sittingId}: the event chain moved under a held lock`);
	return event;
}

/** The event a notification carried (see appendEvent), or null when its body is not one. */
export function sittingEventFromNotification(sittingId: string, seq: number, body: unknown): SittingEvent | null {
	if (!body || typeof body !== 'object') return null;
	const { type, payload, createdAt } = body as Record<string, unknown>;
	if (typeof type !== 'string' || typeof createdAt !== 'string' || !payload || typeof payload !== 'object') return null;
	return { sittingId, seq, type, payload: payload as Record<string, unknown>, createdAt };
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
