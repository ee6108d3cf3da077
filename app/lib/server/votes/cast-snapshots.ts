import type { BatchPlan, SittingSnapshot } from './cast-types';

// The sitting snapshots one batcher keeps between groups (why that is safe: SittingSnapshot in cast-types.ts; how
// they are read: voting-facts.ts), and how a snapshot follows its own group's write.

/**
 * The snapshot after its sitting's part of `plan` was written: the new head, counts and voters. Only a snapshot
 * at the head the plan was made on can follow it (the same head means the same facts); false for any other,
 * which the caller drops.
 */
export function applyWritten(snapshot: SittingSnapshot, plan: BatchPlan): boolean {
	const head = plan.heads.find((h) => h.sittingId === snapshot.sittingId);
	if (!head || snapshot.lastSeq !== head.prevSeq) return false;
	snapshot.lastSeq = head.seq;
	snapshot.headHash = head.hash;
	for (const count of plan.counts) {
		const vote = count.sittingId === snapshot.sittingId ? snapshot.votes.get(count.voteId) : undefined;
		if (vote) vote.ballots_cast = count.ballotsCast;
	}
	for (const ballot of plan.ballots) {
		if (ballot.sittingId !== snapshot.sittingId) continue;
		const voters = snapshot.voters.get(ballot.voteId);
		// A changed ballot keeps the key of the first one (the write does not replace it either).
		if (voters && !voters.has(ballot.userId)) voters.set(ballot.userId, ballot.idempotencyKey);
	}
	return true;
}

/** At most this many sittings are remembered (a city day has a few hundred); past it, all are forgotten. */
const MAX_SNAPSHOTS = 2_000;

/**
 * The snapshots one batcher keeps. Another instance's change of a sitting (seen as its notice) drops that
 * sitting's snapshot, so the next cast reads afresh instead of first trying a write that cannot apply; this
 * instance's own notices, which may arrive before its write's answer, are recognised by their sequence numbers.
 */
export class SnapshotCache {
	private readonly snapshots = new Map<string, SittingSnapshot>();
	/** Sittings with a write in flight: the head it will make (its notices must not drop the snapshot). */
	private readonly writing = new Map<string, number>();
	/** Sittings being read ahead: the highest sequence number noticed since the read began. */
	private readonly readingAhead = new Map<string, number>();

	/** `keep` false: nothing is kept (each group reads afresh), the variant bench:votes compares with. */
	constructor(private readonly keep = true) {}

	get(sittingId: string): SittingSnapshot | undefined {
		return this.snapshots.get(sittingId);
	}

	put(snapshot: SittingSnapshot): void {
		if (!this.keep) return;
		if (this.snapshots.size >= MAX_SNAPSHOTS) this.snapshots.clear();
		this.snapshots.set(snapshot.sittingId, snapshot);
	}

	forget(sittingId: string): void {
		this.snapshots.delete(sittingId);
	}

	writingUpTo(sittingId: string, seq: number): void {
		this.writing.set(sittingId, seq);
	}

	written(sittingId: string): void {
		this.writing.delete(sittingId);
	}

	/** An event of a sitting was stored (by any instance): a snapshot older than it is dropped. */
	seen(sittingId: string, seq: number): void {
		const reading = this.readingAhead.get(sittingId);
		if (reading !== undefined) this.readingAhead.set(sittingId, Math.max(reading, seq));
		const snapshot = this.snapshots.get(sittingId);
		if (snapshot && seq > Math.max(snapshot.lastSeq, this.writing.get(sittingId) ?? 0)) this.snapshots.delete(sittingId);
	}

	/** Whether a read ahead of this sitting is worth starting: none kept, none under way. */
	startReadAhead(sittingId: string): boolean {
		if (!this.keep || this.snapshots.has(sittingId) || this.readingAhead.has(sittingId)) return false;
		this.readingAhead.set(sittingId, 0);
		return true;
	}

	/**
	 * A read ahead came back (or, with no snapshot, failed). It is kept only if nothing better arrived meanwhile:
	 * not when a group read the sitting itself, nor when an event newer than the read was noticed. (A snapshot
	 * that is stale all the same costs one refused write, never a wrong count: see SittingSnapshot.)
	 */
	endReadAhead(sittingId: string, snapshot?: SittingSnapshot): boolean {
		const noticed = this.readingAhead.get(sittingId) ?? 0;
		this.readingAhead.delete(sittingId);
		if (!snapshot || this.snapshots.has(sittingId) || noticed > snapshot.lastSeq) return false;
		this.put(snapshot);
		return true;
	}
}
