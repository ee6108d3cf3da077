import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { VotesTable } from '../../../../db/schema.js';
import type { BatchPlan } from './batch-plan';
import type { VoteForCast } from './cast-rules';

/**
 * What the ballot rules need about one sitting, as of one chain head: its open votes, the council's active
 * delegates, who is checked in, and who has an open ballot in which open vote (with the key it came with).
 *
 * Why it may be kept between casts: every change of a sitting that the rules depend on (attendance, a vote
 * opened, closed or voided, a ballot) appends an event and so moves the head, and a group's write applies only
 * if the head is still the one its decisions were made on. A snapshot that went stale therefore never counts a
 * ballot: the write does not apply, the snapshot is dropped and the cast is decided again on a fresh one.
 * Council membership is not chained; the write checks it itself (cast-batch.ts).
 */
export interface SittingSnapshot {
	sittingId: string;
	lastSeq: number;
	headHash: string;
	votes: Map<string, Selectable<VotesTable>>;
	delegates: Set<string>;
	checkedIn: Set<string>;
	/** Open-kind votes only: voter → the idempotency key of their ballot (null when it came without one). */
	openBallots: Map<string, Map<string, string | null>>;
	/** Checked-in active delegates: the `present` a ballot's event reports. */
	present: number;
}

interface SnapshotRow extends Selectable<VotesTable> {
	snapshot_sitting_id: string;
	last_seq: number | string;
	head_hash: string;
	delegate_ids: string[];
	checked_in_ids: string[];
	ballots: [string, string | null][] | null;
}

/**
 * The snapshots of the sittings these votes belong to, in one statement (one row per open vote; a sitting
 * without one still gives a row, with a null vote id). A vote of no sitting simply gives nothing.
 */
export function loadSnapshots(db: Db, voteIds: string[]): Promise<SittingSnapshot[]> {
	return snapshotsWhere(db, sql`s.id in (select sitting_id from votes where id = any(${voteIds}::uuid[]))`);
}

/** The snapshots of these sittings (a sitting with no open vote gives one with no votes). */
export function loadSittingSnapshots(db: Db, sittingIds: string[]): Promise<SittingSnapshot[]> {
	return snapshotsWhere(db, sql`s.id = any(${sittingIds}::uuid[])`);
}

async function snapshotsWhere(db: Db, sittings: RawBuilder<unknown>): Promise<SittingSnapshot[]> {
	const { rows } = await sql<SnapshotRow>`/* prepared */
		select v.*, s.id as snapshot_sitting_id, s.last_seq, s.head_hash,
			array(select m.user_id from council_members m where m.council_id = s.council_id and m.role = 'delegate' and m.active) as delegate_ids,
			array(select a.user_id from attendance a where a.sitting_id = s.id and a.status in ('present_hall', 'present_remote')) as checked_in_ids,
			(select json_agg(json_build_array(b.user_id, b.idempotency_key)) from open_ballots b where b.vote_id = v.id and v.kind = 'open') as ballots
		from sittings s
		left join votes v on v.sitting_id = s.id and v.status = 'open'
		where ${sittings}`.execute(db);
	const bySitting = new Map<string, SittingSnapshot>();
	for (const row of rows) {
		let snapshot = bySitting.get(row.snapshot_sitting_id);
		if (!snapshot) {
			const delegates = new Set(row.delegate_ids);
			const checkedIn = new Set(row.checked_in_ids);
			snapshot = {
				sittingId: row.snapshot_sitting_id,
				lastSeq: Number(row.last_seq),
				headHash: row.head_hash,
				votes: new Map(),
				delegates,
				checkedIn,
				openBallots: new Map(),
				present: [...checkedIn].filter((u) => delegates.has(u)).length
			};
			bySitting.set(snapshot.sittingId, snapshot);
		}
		if (row.id === null) continue;
		const { snapshot_sitting_id: _s, last_seq: _l, head_hash: _h, delegate_ids: _d, checked_in_ids: _c, ballots, ...vote } = row;
		snapshot.votes.set(vote.id, vote);
		if (vote.kind === 'open') snapshot.openBallots.set(vote.id, new Map(ballots ?? []));
	}
	return [...bySitting.values()];
}

/** One delegate's cast as the rules see it, from the snapshot; undefined when the vote is not open in it. */
export function voteForCast(snapshot: SittingSnapshot, voteId: string, userId: string): VoteForCast | undefined {
	const vote = snapshot.votes.get(voteId);
	if (!vote) return undefined;
	const ballots = snapshot.openBallots.get(voteId);
	return {
		...vote,
		is_delegate: snapshot.delegates.has(userId),
		checked_in: snapshot.checkedIn.has(userId),
		open_key: ballots?.get(userId),
		open_voted: ballots?.has(userId) ?? false,
		// Secret ballots never use a snapshot (planBatch sends them the locked way).
		secret_hash: null,
		secret_voted: false,
		present: snapshot.present,
		last_seq: snapshot.lastSeq,
		head_hash: snapshot.headHash
	};
}

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
		const voters = snapshot.openBallots.get(ballot.voteId);
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

	get(sittingId: string): SittingSnapshot | undefined {
		return this.snapshots.get(sittingId);
	}

	put(snapshot: SittingSnapshot): void {
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
		if (this.snapshots.has(sittingId) || this.readingAhead.has(sittingId)) return false;
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
