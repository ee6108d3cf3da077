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

/**
 * A sitting's head as a group of appends moves it: from `prevSeq` (the head read, the append's condition) to
 * `seq`/`hash` (after the group's last event).
 */
export interface HeadMove {
	sittingId: string;
	prevSeq: number;
	seq: number;
	hash: string;
}

/** An event linked onto its sitting's chain, with the notice that carries it to the other instances. */
export interface LinkedEvent extends SittingEvent {
	prevHash: string;
	hash: string;
	notice: string;
}

/** A sitting's head as read, ready to have events linked onto it (linkNext). */
export function headMove(sittingId: string, head: ChainHead): HeadMove {
	const seq = Number(head.last_seq);
	return { sittingId, prevSeq: seq, seq, hash: head.head_hash };
}

/** Links the next event onto `head` (moving it): the event exactly as appendEvents stores and announces it. */
export function linkNext(head: HeadMove, type: string, payload: Record<string, unknown>, createdAt: string): LinkedEvent {
	const stored = linkEvent(head.seq > 0 ? { seq: head.seq, hash: head.hash } : null, { type, payload, createdAt });
	head.seq = stored.seq;
	head.hash = stored.hash;
	const notice = encodeNotifyPayload(head.sittingId, stored.seq, { type, payload, createdAt });
	return { sittingId: head.sittingId, seq: stored.seq, type, payload, createdAt, prevHash: stored.prevHash, hash: stored.hash, notice };
}

export interface AppendOptions {
	/**
	 * Writes that belong to the same change, as CTEs (`name as (insert … select … from head)`), run in the
	 * events' statement and only for the sittings whose head moved (join, or check `exists` on, the `head` CTE).
	 */
	alongside?: RawBuilder<unknown>[];
	/** A further condition on the sitting's row (`s`): a sitting whose row fails it is not applied. */
	guard?: RawBuilder<unknown>;
}

const asArray = <T>(events: LinkedEvent[], pick: (e: LinkedEvent) => T) => events.map(pick);

/**
 * THE append of sitting events; every event of every sitting is stored through it (a single event is a group of
 * one). The events of one or more sittings, their companion writes, the new heads and the notices (in chain
 * order, delivered at commit) in ONE statement — one commit, one WAL flush for the whole group: PostgreSQL holds
 * one database-wide lock from a notifying transaction's pre-commit until its commit is flushed, so one notifying
 * commit per event would make every event of the city wait for every other's disk flush.
 *
 * Each sitting's part applies only if its head is still `prevSeq` (so a part decided on what was read at that
 * head was decided on current facts) and no other transaction holds the sitting's lock: a sitting being changed
 * (a close, an attendance change) is skipped, not waited for, so it does not hold up the other sittings of the
 * group. A caller holding the lock itself is never skipped (its own lock does not conflict). Returns the
 * sittings whose part was applied. `events` must be in chain order within each sitting (linkNext).
 */
export async function appendEvents(executor: Db | Trx, heads: HeadMove[], events: LinkedEvent[], options: AppendOptions = {}): Promise<Set<string>> {
	const ids = heads.map((h) => h.sittingId);
	const companions = options.alongside?.length ? sql`, ${sql.join(options.alongside)}` : sql``;
	const guard = options.guard ? sql`and ${options.guard}` : sql``;
	const { rows } = await sql<{ id: string }>`/* prepared */
		with head as (
			update sittings s set last_seq = h.seq, head_hash = h.hash
			from unnest(${ids}::uuid[], ${heads.map((h) => h.prevSeq)}::bigint[], ${heads.map((h) => h.seq)}::bigint[], ${heads.map((h) => h.hash)}::text[]) as h(sitting_id, prev_seq, seq, hash)
			where s.id = h.sitting_id and s.last_seq = h.prev_seq
				and s.id in (select id from sittings where id = any(${ids}::uuid[]) for update skip locked)
				${guard}
			returning s.id
		)${companions}, event as (
			insert into sitting_events (sitting_id, seq, type, payload, created_at, prev_hash, hash)
			select e.sitting_id, e.seq, e.type, e.payload::jsonb, e.created_at, e.prev_hash, e.hash
			from unnest(${asArray(events, (e) => e.sittingId)}::uuid[], ${asArray(events, (e) => e.seq)}::bigint[], ${asArray(events, (e) => e.type)}::text[], ${asArray(events, (e) => JSON.stringify(e.payload))}::text[], ${asArray(events, (e) => e.createdAt)}::text[], ${asArray(events, (e) => e.prevHash)}::text[], ${asArray(events, (e) => e.hash)}::text[]) as e(sitting_id, seq, type, payload, created_at, prev_hash, hash)
			join head on head.id = e.sitting_id
		), notified as (
			select pg_notify(${SITTING_EVENTS_CHANNEL}, n.notice)
			from (
				select n.notice from unnest(${asArray(events, (e) => e.notice)}::text[], ${asArray(events, (e) => e.sittingId)}::uuid[]) with ordinality as n(notice, sitting_id, k)
				where n.sitting_id in (select id from head) order by n.k offset 0
			) n
		)
		select id, (select count(*) from notified)::int as notices from head`.execute(executor);
	return new Set(rows.map((r) => r.id));
}

/**
 * Appends an event in the caller's transaction, which holds the sitting's lock (lockSitting), so the event
 * exists exactly when the change it describes does: a group of one (appendEvents).
 */
export async function appendEvent(
	trx: Trx,
	sittingId: string,
	type: string,
	payload: Record<string, unknown>,
	options: AppendOptions & { head?: ChainHead } = {}
): Promise<SittingEvent> {
	const read =
		options.head ??
		(await trx.selectFrom('sittings').select(['last_seq', 'head_hash']).where('id', '=', sittingId).forUpdate().executeTakeFirstOrThrow());
	const head = headMove(sittingId, read);
	const event = linkNext(head, type, payload, new Date().toISOString());
	const applied = await appendEvents(trx, [head], [event], options);
	// Under the lock nobody else can move the head; if it moved, the caller did not hold the lock.
	if (!applied.has(sittingId)) throw new Error(`sitting ${sittingId}: the event chain moved under a held lock`);
	return { sittingId, seq: event.seq, type, payload, createdAt: event.createdAt };
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
