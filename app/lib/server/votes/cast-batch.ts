import { companionDb, type Db } from '../../../../db/client.js';
import { log } from '../log';
import { publishNotifiedEvent } from '../realtime/sitting-hub';
import { planBatch } from './batch-plan';
import { castUnderLock } from './cast-locked';
import type { BatchPlan, CastInput, CastResult, SittingFacts, VoteForCast } from './cast-types';
import { loadSittingFacts, voteForCast } from './voting-facts';
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
 * otherwise it waits and leaves with every cast that arrived meanwhile: ONE read of their sittings' facts
 * (voting-facts.ts), then ONE write. Under load the groups grow by themselves, so each ballot costs fewer round
 * trips, statements and commits exactly when they are scarce; alone, a cast waits for nothing. Two groups in
 * flight never hold casts of the same sitting, so casts of one sitting do not race each other for its chain
 * head: they are chained within one group instead.
 *
 * Nothing read is kept from one group to the next. A cache of each sitting's facts, kept since its last change
 * and read ahead when a vote opened, was measured against reading afresh (bench:votes, same machine, alternating
 * rounds: bench/results/votes-snapshot-cache-ab.json) and gained nothing, so it went (issue 20).
 */
export class CastBatcher {
	private queue: Pending[] = [];
	private inFlight = 0;
	/** Sittings (or, before the first read, votes) with casts in a group in flight. */
	private busy = new Set<string>();
	/** A vote's sitting never changes: remembered from the reads so a vote's casts are kept out of concurrent groups. */
	private sittingOfVote = new Map<string, string>();
	/** Groups sent so far (how far casts were grouped: compare with the casts made). */
	groupsSent = 0;

	constructor(
		private readonly db: Db,
		private readonly slots = DEFAULT_SLOTS,
		private readonly maxBatch = 128,
		/** Where casts under the lock run: not on the groups' own connections, which they would hold up. */
		private readonly mainDb = db
	) {}

	/**
	 * The one way a ballot is cast (castBallot): in a group, or — ids the database would refuse, a cast whose
	 * sitting kept moving under its groups — under the sitting's lock (cast-locked.ts). Either way the answer is the
	 * cast's own: accepted, or the rules' refusal.
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

	/** Nothing was written: the cast goes in a later group, decided again on what that group reads. */
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
			const facts = await this.factsFor(valid.map((p) => p.input.voteId));
			const items: { pending: Pending; input: CastInput; vote: VoteForCast }[] = [];
			for (const p of valid) {
				const sitting = facts.get(p.input.voteId);
				const vote = sitting && voteForCast(sitting, p.input.voteId, p.input.userId);
				// No such vote (the read found no sitting for it): rare, and answered the one-by-one way under the lock.
				if (vote) items.push({ pending: p, input: p.input, vote });
				else this.underLock(p);
			}
			if (items.length === 0) return;
			const plan = planBatch(items, new Date().toISOString());
			let applied = new Set<string>();
			let writeFailed: { error: unknown } | null = null;
			try {
				if (plan.events.length > 0) applied = await writeBallots(this.db, plan);
			} catch (error) {
				writeFailed = { error };
			}
			announce(plan, applied);
			plan.outcomes.forEach((outcome, i) => {
				const p = items[i].pending;
				if (outcome.kind === 'answered') p.resolve(outcome.result);
				else if (outcome.kind === 'refused') p.reject(outcome.error);
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
	 * The facts of each vote's sitting, read afresh for this group — every sitting of the group in ONE statement.
	 * All casts of a sitting are decided on the same read, so their events chain from one head.
	 */
	private async factsFor(voteIds: string[]): Promise<Map<string, SittingFacts>> {
		const byVote = new Map<string, SittingFacts>();
		if (this.sittingOfVote.size > 10_000) this.sittingOfVote.clear();
		for (const facts of await loadSittingFacts(this.db, [...new Set(voteIds)])) {
			for (const voteId of facts.votes.keys()) {
				this.sittingOfVote.set(voteId, facts.sittingId);
				byVote.set(voteId, facts);
			}
		}
		return byVote;
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
 * cast, suit every group size), never queueing behind the main pool's requests. No batcher, no connection is made
 * until a ballot is cast.
 */
export function batcherFor(db: Db): CastBatcher {
	let batcher = batchers.get(db);
	if (!batcher) {
		const slots = Number(process.env.CAST_BATCH_SLOTS) || DEFAULT_SLOTS;
		batcher = new CastBatcher(companionDb(db, 'cast-batches', slots, { keepIdle: true, genericPlans: true }), slots, undefined, db);
		batchers.set(db, batcher);
	}
	return batcher;
}
