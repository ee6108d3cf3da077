import { sql } from 'kysely';
import { companionDb, type Db } from '../../../../db/client.js';
import { log } from '../log';
import { onSittingNotice, publishNotifiedEvent } from '../realtime/sitting-hub';
import { SITTING_EVENTS_CHANNEL } from '../sittings/events';
import { planBatch, type BatchPlan } from './batch-plan';
import type { CastInput, CastResult, VoteForCast } from './cast-rules';
import { SnapshotCache, applyWritten, loadSittingSnapshots, loadSnapshots, voteForCast, type SittingSnapshot } from './cast-snapshots';

/**
 * What a batched cast comes back with: the answer; 'raced' when another change of its sitting came between the
 * read and the write (nothing was written); 'alone' when it must go the one-by-one way (a secret ballot, whose
 * box is rewritten under the sitting's lock, or ids the database would refuse).
 */
export type BatchedOutcome = CastResult | 'raced' | 'alone';

/**
 * The batch's ballots, counts, events, new heads and the other instances' notices (in chain order, delivered at
 * commit) in ONE statement (one commit, one WAL flush), each sitting's part applied only if its head is still the
 * one read. (PostgreSQL holds one database-wide lock from a notifying transaction's pre-commit until its commit is
 * flushed, so notifying commits queue behind each other: one per ballot made every ballot of the city wait for
 * every other's disk flush; one per group, at most `slots` at a time, does not.) A sitting whose lock another transaction holds (a close,
 * an attendance change) is skipped, not waited for: its casts come back 'raced' and retry, while the other
 * sittings' ballots of the group are not held up behind it. Returns the sittings whose part was applied.
 */
async function writeBatch(db: Db, plan: BatchPlan): Promise<Set<string>> {
	const { heads, ballots, counts, events } = plan;
	const { rows } = await sql<{ id: string }>`/* prepared */
		with head as (
			update sittings s set last_seq = h.seq, head_hash = h.hash
			from unnest(${heads.map((h) => h.sittingId)}::uuid[], ${heads.map((h) => h.prevSeq)}::bigint[], ${heads.map((h) => h.seq)}::bigint[], ${heads.map((h) => h.hash)}::text[]) as h(sitting_id, prev_seq, seq, hash)
			where s.id = h.sitting_id and s.last_seq = h.prev_seq
				and s.id in (select id from sittings where id = any(${heads.map((h) => h.sittingId)}::uuid[]) for update skip locked)
				-- What the head does not vouch for (see cast-snapshots.ts) is checked here: a voter no longer an active
				-- delegate, or a vote past its time limit by the database's clock, spoils the sitting's part.
				and not exists (
					select 1 from unnest(${ballots.map((b) => b.userId)}::uuid[], ${ballots.map((b) => b.voteId)}::uuid[], ${ballots.map((b) => b.sittingId)}::uuid[]) as c(user_id, vote_id, sitting_id)
					join votes cv on cv.id = c.vote_id
					where c.sitting_id = s.id
						and (cv.status <> 'open' or cv.closes_at <= now()
							or not exists (select 1 from council_members m where m.council_id = s.council_id and m.user_id = c.user_id and m.role = 'delegate' and m.active)))
			returning s.id
		), ballot as (
			insert into open_ballots (vote_id, user_id, choice, idempotency_key, cast_at)
			select b.vote_id, b.user_id, b.choice::jsonb, b.idempotency_key, now()
			from unnest(${ballots.map((b) => b.voteId)}::uuid[], ${ballots.map((b) => b.userId)}::uuid[], ${ballots.map((b) => b.choice)}::text[], ${ballots.map((b) => b.idempotencyKey)}::text[], ${ballots.map((b) => b.sittingId)}::uuid[]) as b(vote_id, user_id, choice, idempotency_key, sitting_id)
			join head on head.id = b.sitting_id
			on conflict (vote_id, user_id) do update set choice = excluded.choice, cast_at = excluded.cast_at
		), counted as (
			update votes v set ballots_cast = c.ballots_cast
			from unnest(${counts.map((c) => c.voteId)}::uuid[], ${counts.map((c) => c.ballotsCast)}::int[], ${counts.map((c) => c.sittingId)}::uuid[]) as c(vote_id, ballots_cast, sitting_id)
			join head on head.id = c.sitting_id
			where v.id = c.vote_id
		), event as (
			insert into sitting_events (sitting_id, seq, type, payload, created_at, prev_hash, hash)
			select e.sitting_id, e.seq, e.type, e.payload::jsonb, e.created_at, e.prev_hash, e.hash
			from unnest(${events.map((e) => e.sittingId)}::uuid[], ${events.map((e) => e.seq)}::bigint[], ${events.map((e) => e.type)}::text[], ${events.map((e) => JSON.stringify(e.payload))}::text[], ${events.map((e) => e.createdAt)}::text[], ${events.map((e) => e.prevHash)}::text[], ${events.map((e) => e.hash)}::text[]) as e(sitting_id, seq, type, payload, created_at, prev_hash, hash)
			join head on head.id = e.sitting_id
		), notified as (
			select pg_notify(${SITTING_EVENTS_CHANNEL}, n.notice)
			from (
				select n.notice from unnest(${events.map((e) => e.notice)}::text[], ${events.map((e) => e.sittingId)}::uuid[]) with ordinality as n(notice, sitting_id, k)
				where n.sitting_id in (select id from head) order by n.k offset 0
			) n
		)
		select id, (select count(*) from notified)::int as notices from head`.execute(db);
	return new Set(rows.map((r) => r.id));
}

interface Pending {
	input: CastInput;
	resolve: (outcome: BatchedOutcome) => void;
	reject: (error: unknown) => void;
}

/** Ids the database would refuse as uuid: such a cast must not fail the batch it would have joined. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Groups in flight at once. Measured at city scale when this was chosen (bench:votes, 168 sittings × 30 delegates
 * on 2 cores, groups still on the main pool): with 1 or 2 the groups averaged 2–3 ballots and p99 was ~105–110 ms;
 * with 4, 140–220 ms; with 64 (no real limit) the groups' queries queued for connections behind each other and p99
 * passed 850 ms. Two rather than one, so a group that waits on the database for some reason does not hold up every
 * other ballot of the city.
 */
const DEFAULT_SLOTS = 2;

/**
 * Casts of open ballots, grouped: a cast goes out at once when fewer than `slots` groups are in flight;
 * otherwise it waits and leaves with every cast that arrived meanwhile, in ONE write, decided on the snapshots
 * kept of their sittings (cast-snapshots.ts) — plus ONE read first when a sitting has none, or a stale one. Under load the
 * groups grow by themselves, so each ballot costs fewer round trips, statements and commits exactly when they
 * are scarce; alone, a cast waits for nothing. Two groups in flight never hold casts of the same sitting, so
 * casts of one sitting do not race each other for its chain head: they are chained within one group instead.
 */
export class CastBatcher {
	private queue: Pending[] = [];
	private inFlight = 0;
	/** Sittings (or, before the first read, votes) with casts in a group in flight. */
	private busy = new Set<string>();
	/** A vote's sitting never changes: remembered so a vote's casts are kept out of concurrent groups. */
	private sittingOfVote = new Map<string, string>();
	private readonly cache = new SnapshotCache();
	/** Groups sent so far (how far casts were grouped: compare with the casts made). */
	groupsSent = 0;

	constructor(
		private readonly db: Db,
		private readonly slots = DEFAULT_SLOTS,
		private readonly maxBatch = 128,
		/** Where reads ahead run: not on the groups' own connections, which they would hold up. */
		private readonly readAheadDb = db
	) {}

	/**
	 * Reads ahead the snapshot of a sitting whose delegates are about to cast (a vote was opened, a screen
	 * subscribed), so its first casts are decided at once instead of each group beginning with that read: at the
	 * start of a city-wide vote every sitting's first cast would otherwise arrive within the same fraction of a
	 * second, each group carrying the reads of dozens of sittings. Best effort: a failed read leaves the
	 * group to read for itself.
	 */
	prepare(sittingId: string): void {
		if (!UUID.test(sittingId) || !this.cache.startReadAhead(sittingId)) return;
		loadSittingSnapshots(this.readAheadDb, [sittingId]).then(
			([snapshot]) => {
				if (snapshot && this.cache.endReadAhead(sittingId, snapshot)) this.remember(snapshot);
			},
			(error) => {
				this.cache.endReadAhead(sittingId);
				log.warn('reading a sitting ahead of its casts failed', { sittingId, err: error });
			}
		);
	}

	cast(input: CastInput): Promise<BatchedOutcome> {
		return new Promise((resolve, reject) => {
			this.queue.push({ input, resolve, reject });
			this.pump();
		});
	}

	private keyOf(input: CastInput): string {
		return this.sittingOfVote.get(input.voteId) ?? input.voteId;
	}

	private pump() {
		while (this.inFlight < this.slots && this.queue.length > 0) {
			const batch = this.take();
			if (batch.length === 0) return;
			this.inFlight++;
			this.groupsSent++;
			const keys = new Set(batch.map((p) => this.keyOf(p.input)));
			keys.forEach((k) => this.busy.add(k));
			void this.run(batch).finally(() => {
				this.inFlight--;
				keys.forEach((k) => this.busy.delete(k));
				this.pump();
			});
		}
	}

	/** The next group: casts whose sitting is not in flight, one per delegate and vote, in arrival order. */
	private take(): Pending[] {
		const batch: Pending[] = [];
		const rest: Pending[] = [];
		const delegates = new Set<string>();
		for (const pending of this.queue) {
			const { voteId, userId } = pending.input;
			const delegate = `${voteId}/${userId}`;
			if (batch.length < this.maxBatch && !this.busy.has(this.keyOf(pending.input)) && !delegates.has(delegate)) {
				batch.push(pending);
				delegates.add(delegate);
			} else {
				rest.push(pending);
			}
		}
		this.queue = rest;
		return batch;
	}

	private async run(batch: Pending[]) {
		const valid = batch.filter((p) => UUID.test(p.input.voteId) && UUID.test(p.input.userId));
		// Not ids the database takes: the one-by-one way answers them, without failing the rest of the group.
		for (const p of batch) if (!valid.includes(p)) p.resolve('alone');
		if (valid.length === 0) return;
		try {
			const snapshots = await this.snapshotsFor(valid.map((p) => p.input.voteId));
			const items: { pending: Pending; input: CastInput; vote: VoteForCast }[] = [];
			for (const p of valid) {
				const snapshot = snapshots.get(p.input.voteId);
				const vote = snapshot && voteForCast(snapshot, p.input.voteId, p.input.userId);
				// Not an open vote (closed, void, unknown): rare, and answered the one-by-one way under the lock.
				if (vote) items.push({ pending: p, input: p.input, vote });
				else p.resolve('alone');
			}
			if (items.length === 0) return;
			const plan = planBatch(items, new Date().toISOString());
			let applied = new Set<string>();
			let writeFailed: { error: unknown } | null = null;
			for (const h of plan.heads) this.cache.writingUpTo(h.sittingId, h.seq);
			try {
				if (plan.events.length > 0) applied = await writeBatch(this.db, plan);
			} catch (error) {
				writeFailed = { error };
			}
			for (const h of plan.heads) {
				this.cache.written(h.sittingId);
				const snapshot = this.cache.get(h.sittingId);
				// Applied: the snapshot follows its own write. Otherwise it was stale (or the outcome is unknown).
				if (!(applied.has(h.sittingId) && snapshot && applyWritten(snapshot, plan))) this.cache.forget(h.sittingId);
			}
			announce(plan, applied);
			plan.outcomes.forEach((outcome, i) => {
				const p = items[i].pending;
				if (outcome.kind === 'answered') p.resolve(outcome.result);
				else if (outcome.kind === 'refused') p.reject(outcome.error);
				else if (outcome.kind === 'secret') p.resolve('alone');
				else if (writeFailed) p.reject(writeFailed.error);
				else p.resolve(applied.has(outcome.sittingId) ? { accepted: true } : 'raced');
			});
		} catch (error) {
			// The read failed (or a bug): nothing was written. A promise already settled ignores this.
			for (const p of valid) p.reject(error);
		}
	}

	/**
	 * The snapshot of each vote's sitting: the one kept when it has that vote open, else read afresh — every
	 * sitting of the group in ONE statement. All casts of a sitting are decided on the same snapshot, so their
	 * events chain from one head.
	 */
	private async snapshotsFor(voteIds: string[]): Promise<Map<string, SittingSnapshot>> {
		const missing = voteIds.filter((voteId) => !this.snapshotOf(voteId)?.votes.has(voteId));
		if (missing.length > 0) {
			for (const snapshot of await loadSnapshots(this.db, missing)) {
				this.cache.put(snapshot);
				this.remember(snapshot);
			}
		}
		// Every vote of a sitting read now uses the new snapshot, also those the old one had.
		const byVote = new Map<string, SittingSnapshot>();
		for (const voteId of voteIds) {
			const snapshot = this.snapshotOf(voteId);
			if (snapshot) byVote.set(voteId, snapshot);
		}
		return byVote;
	}

	private snapshotOf(voteId: string): SittingSnapshot | undefined {
		const sittingId = this.sittingOfVote.get(voteId);
		return sittingId ? this.cache.get(sittingId) : undefined;
	}

	/** Another instance stored an event of this sitting (its notice): the snapshot kept of it is out of date. */
	sittingMoved(sittingId: string, seq: number): void {
		this.cache.seen(sittingId, seq);
	}

	private remember(snapshot: SittingSnapshot) {
		if (this.sittingOfVote.size > 10_000) this.sittingOfVote.clear();
		for (const voteId of snapshot.votes.keys()) this.sittingOfVote.set(voteId, snapshot.sittingId);
	}
}

/**
 * The group's stored events go to this instance's screens in chain order, once committed (never before: a screen
 * shows only what is kept); other instances have their notices. A failure here must not turn stored ballots into
 * errors: the notice and the hubs' sweep deliver them anyway.
 */
function announce(plan: BatchPlan, applied: Set<string>) {
	for (const { sittingId, seq, type, payload, createdAt } of plan.events) {
		if (!applied.has(sittingId)) continue;
		try {
			publishNotifiedEvent({ sittingId, seq, type, payload, createdAt });
		} catch (error) {
			log.error('announcing a stored ballot failed', { sittingId, seq, err: error });
		}
	}
}

const batchers = new WeakMap<Db, CastBatcher>();


/**
 * The batcher of a database handle. Its groups run on connections of their own, one per slot: kept open (a vote
 * after a quiet hour meets connections whose statements are prepared and planned, not new ones) and planning the
 * two group statements once (their generic plans, index lookups per cast, suit every group size), never queueing
 * behind the main pool's requests.
 */
export function batcherFor(db: Db): CastBatcher {
	let batcher = batchers.get(db);
	if (!batcher) {
		const slots = Number(process.env.CAST_BATCH_SLOTS) || DEFAULT_SLOTS;
		const created = new CastBatcher(companionDb(db, 'cast-batches', slots, { keepIdle: true, genericPlans: true }), slots, undefined, db);
		// Other instances' changes drop the snapshots they made stale (without a hub, the write's check does it);
		// a vote opened anywhere has its sitting read ahead of the casts that follow.
		onSittingNotice((sittingId, seq, type) => {
			created.sittingMoved(sittingId, seq);
			if (type === 'vote.opened') created.prepare(sittingId);
		});
		batchers.set(db, (batcher = created));
	}
	return batcher;
}

/** A screen of this sitting subscribed: its delegates may cast soon (see CastBatcher.prepare). */
export function readAheadForCasts(db: Db, sittingId: string): void {
	batcherFor(db).prepare(sittingId);
}
