import { sql, type RawBuilder, type Selectable } from "kysely";
import type { Db } from "../../../../db/client.js";
import type { VotesTable } from "../../../../db/schema.js";
import type { Trx } from "../sittings/events";
import type { SittingSnapshot, VoteForCast } from "./cast-types";

// THE read of what the ballot rules decide on, for the grouped casts (cast-batch.ts, many sittings in one
// statement, kept as snapshots) and for the cast under the sitting's lock (cast-locked.ts, one sitting, in its
// transaction) alike: both decide on the same facts, read the same way.

interface SnapshotRow extends Selectable<VotesTable> {
  snapshot_sitting_id: string;
  last_seq: number | string;
  head_hash: string;
  delegate_ids: string[];
  checked_in_ids: string[];
  voters: [string, string | null][] | null;
}

/**
 * The snapshots of the sittings these votes belong to, in one statement. Besides each sitting's open votes, the
 * votes asked for are there whatever their state, so a cast of a closed vote is answered from the same read (a
 * retry gets its first answer, anything else is refused). A vote of no sitting simply gives nothing.
 */
export function loadSnapshots(
  executor: Db | Trx,
  voteIds: string[],
): Promise<SittingSnapshot[]> {
  return snapshotsWhere(
    executor,
    sql`s.id in (select sitting_id from votes where id = any(${voteIds}::uuid[]))`,
    voteIds,
  );
}

/** The snapshots of these sittings (a sitting with no open vote gives one with no votes). */
export function loadSittingSnapshots(
  executor: Db | Trx,
  sittingIds: string[],
): Promise<SittingSnapshot[]> {
  return snapshotsWhere(executor, sql`s.id = any(${sittingIds}::uuid[])`, []);
}

/** One row per vote (a sitting without one still gives a row, with a null vote id). */
async function snapshotsWhere(
  executor: Db | Trx,
  sittings: RawBuilder<unknown>,
  voteIds: string[],
): Promise<SittingSnapshot[]> {
  const { rows } = await sql<SnapshotRow>`/* prepared */
		select v.*, s.id as snapshot_sitting_id, s.last_seq, s.head_hash,
			array(select m.user_id from council_members m where m.council_id = s.council_id and m.role = 'delegate' and m.active) as delegate_ids,
			array(select a.user_id from attendance a where a.sitting_id = s.id and a.status in ('present_hall', 'present_remote')) as checked_in_ids,
			case when v.kind = 'open'
				then (select json_agg(json_build_array(b.user_id, b.idempotency_key)) from open_ballots b where b.vote_id = v.id)
				else (select json_agg(json_build_array(p.user_id, p.idempotency_hash)) from secret_participation p where p.vote_id = v.id)
			end as voters
		from sittings s
		left join votes v on v.sitting_id = s.id and (v.status = 'open' or v.id = any(${voteIds}::uuid[]))
		where ${sittings}`.execute(executor);
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
        voters: new Map(),
        present: [...checkedIn].filter((u) => delegates.has(u)).length,
      };
      bySitting.set(snapshot.sittingId, snapshot);
    }
    if (row.id === null) continue;
    const {
      snapshot_sitting_id: _s,
      last_seq: _l,
      head_hash: _h,
      delegate_ids: _d,
      checked_in_ids: _c,
      voters,
      ...vote
    } = row;
    snapshot.votes.set(vote.id, vote);
    snapshot.voters.set(vote.id, new Map(voters ?? []));
  }
  return [...bySitting.values()];
}

/** One delegate's cast as the rules see it, from the snapshot; undefined when the vote is not in it. */
export function voteForCast(
  snapshot: SittingSnapshot,
  voteId: string,
  userId: string,
): VoteForCast | undefined {
  const vote = snapshot.votes.get(voteId);
  if (!vote) return undefined;
  const voters = snapshot.voters.get(voteId);
  const open = vote.kind === "open";
  const voted = voters?.has(userId) ?? false;
  return {
    ...vote,
    is_delegate: snapshot.delegates.has(userId),
    checked_in: snapshot.checkedIn.has(userId),
    open_key: open ? voters?.get(userId) : undefined,
    open_voted: open && voted,
    secret_hash: open ? undefined : voters?.get(userId),
    secret_voted: !open && voted,
    present: snapshot.present,
    last_seq: snapshot.lastSeq,
    head_hash: snapshot.headHash,
  };
}
