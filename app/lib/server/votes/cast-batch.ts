import { companionDb, type Db } from '../../../../db/client.js';
import { getDb } from '../db';
import { log } from '../log';
import { onSittingNotice, publishNotifiedEvent } from '../realtime/sitting-hub';
import { planBatch } from './batch-plan';
import { castUnderLock } from './cast-locked';
import { SnapshotCache, applyWritten } from './cast-snapshots';
import type { BatchPlan, CastInput, CastResult, SittingSnapshot, VoteForCast } from './cast-types';
import { loadSittingSnapshots, loadSnapshots, voteForCast } from './voting-facts';
import { writeBallots } from './write-ballots';

interface Pending {
	input: CastInput;
	resolve: (result: CastResult) => void;
	reject: (error: unknown) => void;
	/** Groups this cast went in whose write found its sitting's head moved (nothing was written). */
	raced: number;
}

/**
 * A cast whose sitting's head moved under its group this many times goes under the sitting's lock instead (a
 * sitting changing that fast is being changed by someone else, e.g. a close or a roll-call: wait for it).
 */
const OPTIMISTIC_ATTEMPTS = 3;

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
	private readonly cache: SnapshotCache;
	/** Groups sent so far (how far casts were grouped: compare with the casts made). */
	groupsSent = 0;

	constructor(
		private readonly db: Db,
		private readonly slots = DEFAULT_SLOTS,
		private readonly maxBatch = 128,
		/** Where reads ahead and casts under the lock run: not on the groups' own connections, which they would hold up. */
		private readonly mainDb = db,
		/** false: no snapshot is kept between groups, each group reads its sittings afresh (bench:votes' A/B). */
		keepSnapshots = true
	) {
		this.cache = new SnapshotCache(keepSnapshots);
	}

	/**
	 * Reads ahead the snapshot of a sitting whose delegates are about to cast (a vote was opened), so its first
	 * casts are decided at once instead of each group beginning with that read: at the start of a city-wide vote
	 * every sitting's first cast would otherwise arrive within the same fraction of a second, each group carrying
	 * the reads of dozens of sittings. Best effort: a failed read leaves the group to read for itself.
	 */
	prepare(sittingId: string): void {
		if (!UUID.test(sittingId) || !this.cache.startReadAhead(sittingId)) return;
		loadSittingSnapshots(this.mainDb, [sittingId]).then(
			([snapshot]) => {
				if (snapshot && this.cache.endReadAhead(sittingId, snapshot)) this.remember(snapshot);
			},
			(error) => {
				this.cache.endReadAhead(sittingId);
				log.warn('reading a sitting ahead of its casts failed', { sittingId, err: error });
			}
		);
	}

	/**
	 * The one way a ballot is cast (castBallot): in a group, or — a secret ballot, ids the database would refuse, a
	 * cast whose sitting kept moving under its groups — under the sitting's lock (cast-locked.ts). Either way the
	 * answer is the cast's own: accepted (with a receipt for a secret ballot), or the rules' refusal.
	 */
	cast(input: CastInput): Promise<CastResult> {
		return new Promise((resolve, reject) => {
			this.queue.push({ input, resolve, reject, raced: 0 });
			this.pump();
		});
	}

	/** Casts made one by one under the sitting's lock (see cast). */
	lockedCasts = 0;

	private underLock(p: Pending): void {
		this.lockedCasts++;
		castUnderLock(this.mainDb, p.input).then(p.resolve, p.reject);
	}

	/** Nothing was written: the cast goes in a later group, decided again on what is then read. */
	private raced(p: Pending): void {
		if (++p.raced >= OPTIMISTIC_ATTEMPTS) this.underLock(p);
		else this.queue.push(p);
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
		for (const p of batch) if (!valid.includes(p)) this.underLock(p);
		if (valid.length === 0) return;
		try {
			const snapshots = await this.snapshotsFor(valid.map((p) => p.input.voteId));
			const items: { pending: Pending; input: CastInput; vote: VoteForCast }[] = [];
			for (const p of valid) {
				const snapshot = snapshots.get(p.input.voteId);
				const vote = snapshot && voteForCast(snapshot, p.input.voteId, p.input.userId);
				// Not an open vote (closed, void, unknown): rare, and answered the one-by-one way under the lock.
				if (vote) items.push({ pending: p, input: p.input, vote });
				else this.underLock(p);
			}
			if (items.length === 0) return;
			const plan = planBatch(items, new Date().toISOString());
			let applied = new Set<string>();
			let writeFailed: { error: unknown } | null = null;
			for (const h of plan.heads) this.cache.writingUpTo(h.sittingId, h.seq);
			try {
				if (plan.events.length > 0) applied = await writeBallots(this.db, plan);
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
				else if (outcome.kind === 'secret') this.underLock(p);
				else if (writeFailed) p.reject(writeFailed.error);
				else if (applied.has(outcome.sittingId)) p.resolve({ accepted: true });
				else this.raced(p);
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
		const read = new Map<string, SittingSnapshot>();
		if (missing.length > 0) {
			for (const snapshot of await loadSnapshots(this.db, missing)) {
				this.cache.put(snapshot);
				this.remember(snapshot);
				read.set(snapshot.sittingId, snapshot);
			}
		}
		// Every vote of a sitting read now uses the new snapshot, also those the old one had.
		const byVote = new Map<string, SittingSnapshot>();
		for (const voteId of voteIds) {
			const sittingId = this.sittingOfVote.get(voteId);
			const snapshot = sittingId === undefined ? undefined : (read.get(sittingId) ?? this.cache.get(sittingId));
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

const batchers = new Map<Db, CastBatcher>();

/**
 * The batcher of a database handle (one per process in practice: the app's pool). Its groups run on connections
 * of their own, one per slot: kept open (a vote after a quiet hour meets connections whose statements are prepared
 * and planned, not new ones) and planning the two group statements once (their generic plans, index lookups per
 * cast, suit every group size), never queueing behind the main pool's requests.
 */
export function batcherFor(db: Db): CastBatcher {
	let batcher = batchers.get(db);
	if (!batcher) {
		const slots = Number(process.env.CAST_BATCH_SLOTS) || DEFAULT_SLOTS;
		// CAST_SNAPSHOTS=off: the snapshot cache's A/B switch (bench:votes measures both; bench/results/).
		const keepSnapshots = process.env.CAST_SNAPSHOTS !== 'off';
		batcher = new CastBatcher(companionDb(db, 'cast-batches', slots, { keepIdle: true, genericPlans: true }), slots, undefined, db, keepSnapshots);
		batchers.set(db, batcher);
	}
	return batcher;
}

// The votes module follows the sittings' notices itself (every instance's hub receives every instance's, its
// own included), rather than being told by the sitting router when a screen subscribes: what a cast needs is
// this module's business, and the moment that matters is known here — a vote opened anywhere has its sitting
// read ahead of the casts that follow, on every instance. Other instances' changes drop the snapshots they made
// stale (without a hub, the write's check does it). Registered once per process, when the module is loaded
// (the API router imports it): no batcher, no connection is made until a vote opens or a ballot is cast.
onSittingNotice((sittingId, seq, type) => {
	for (const batcher of batchers.values()) batcher.sittingMoved(sittingId, seq);
	if (type === 'vote.opened') batcherFor(getDb()).prepare(sittingId);
});
