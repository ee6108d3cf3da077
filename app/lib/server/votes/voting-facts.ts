import { sql, type Selectable } from "kysely";
import type { Db } from "../../../../db/client.js";
import type { VotesTable } from "../../../../db/schema.js";
import type { Trx } from "../sittings/events";
import type { SittingFacts, VoteForCast } from "./cast-types";

// THE read of what the ballot rules decide on, for the grouped casts (cast-batch.ts, every sitting of a group in
// one statement, read afresh for each group) and for the cast under the sitting's lock (cast-locked.ts, one
// sitting, in its transaction) alike: both decide on the same facts, read the same way.

interface FactsRow extends Selectable<VotesTable> {
  facts_sitting_id: string;
  last_seq: number | string;
  head_hash: string;
  delegate_ids: string[];
  checked_in_ids: string[];
  voters: [string, string | null][] | null;
}

/**
 * The facts of the sittings these votes belong to, in one statement. Besides each sitting's open votes, the
 * votes asked for are there whatever their state, so a cast of a closed vote is answered from the same read (a
 * retry gets its first answer, anything else is refused). A vote of no sitting simply gives nothing.
 */
export async function loadSittingFacts(
  executor: Db | Trx,
  voteIds: string[],
): Promise<SittingFacts[]> {
  const { rows } = await sql<FactsRow>`/* prepared */
		select v.*, s.id as facts_sitting_id, s.last_seq, s.head_hash,
			array(select m.user_id from council_members m where m.council_id = s.council_id and m.role = 'delegate' and m.active) as delegate_ids,
			array(select a.user_id from attendance a where a.sitting_id = s.id and a.status in ('present_hall', 'present_remote')) as checked_in_ids,
			(select json_agg(json_build_array(b.user_id, b.idempotency_key)) from open_ballots b where b.vote_id = v.id) as voters
		from sittings s
		left join votes v on v.sitting_id = s.id and (v.status = 'open' or v.id = any(${voteIds}::uuid[]))
		where s.id in (select sitting_id from votes where id = any(${voteIds}::uuid[]))`.execute(executor);
  const bySitting = new Map<string, SittingFacts>();
  for (const row of rows) {
    let facts = bySitting.get(row.facts_sitting_id);
    if (!facts) {
      const delegates = new Set(row.delegate_ids);
      const checkedIn = new Set(row.checked_in_ids);
      facts = {
        sittingId: row.facts_sitting_id,
        lastSeq: Number(row.last_seq),
        headHash: row.head_hash,
        votes: new Map(),
        delegates,
        checkedIn,
        voters: new Map(),
        present: [...checkedIn].filter((u) => delegates.has(u)).length,
      };
      bySitting.set(facts.sittingId, facts);
    }
    if (row.id === null) continue;
    const {
      facts_sitting_id: _s,
      last_seq: _l,
      head_hash: _h,
      delegate_ids: _d,
      checked_in_ids: _c,
      voters,
      ...vote
    } = row;
    facts.votes.set(vote.id, vote);
    facts.voters.set(vote.id, new Map(voters ?? []));
  }
  return [...bySitting.values()];
}

/** One delegate's cast as the rules see it, from its sitting's facts; undefined when the vote is not in them. */
export function voteForCast(
  facts: SittingFacts,
  voteId: string,
  userId: string,
): VoteForCast | undefined {
  const vote = facts.votes.get(voteId);
  if (!vote) return undefined;
  const voters = facts.voters.get(voteId);
  return {
    ...vote,
    is_delegate: facts.delegates.has(userId),
    checked_in: facts.checkedIn.has(userId),
    open_key: voters?.get(userId),
    open_voted: voters?.has(userId) ?? false,
    present: facts.present,
    last_seq: facts.lastSeq,
    head_hash: facts.headHash,
  };
}
