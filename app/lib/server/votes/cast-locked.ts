import { sql } from "kysely";
import type { Db } from "../../../../db/client.js";
import { DomainError } from "../../domain/errors";
import { AppError } from "../errors";
import { planBatch } from "./batch-plan";
import type { CastInput, CastResult } from "./cast-types";
import { loadSittingFacts, voteForCast } from "./voting-facts";
import { writeBallots } from "./write-ballots";

/**
 * A cast under the sitting's lock, for what a group does not take (an open ballot that lost the race to its
 * sitting's head three times, or a vote the group's read did not find). It takes the lock as every writer of a
 * sitting does, so it is ordered against the close, then reads in its own statement, so it sees a close that
 * committed while it waited. Same read, same rules, same write as a group: a group of one.
 */
export function castUnderLock(db: Db, input: CastInput): Promise<CastResult> {
  return db.transaction().execute(async (trx) => {
    const locked =
      await sql`select id from sittings where id = (select sitting_id from votes where id = ${input.voteId}) for update`.execute(
        trx,
      );
    if (locked.rows.length === 0)
      throw new AppError("NOT_FOUND", "vote.notFound");
    const [facts] = await loadSittingFacts(trx, [input.voteId]);
    const vote = voteForCast(facts, input.voteId, input.userId)!;
    const plan = planBatch([{ input, vote }], new Date().toISOString());
    const [outcome] = plan.outcomes;
    if (outcome.kind === "answered") return outcome.result;
    if (outcome.kind === "refused") throw outcome.error;
    // Under the lock the head cannot move: only the write's own check (the database's clock) can refuse.
    if (!(await writeBallots(trx, plan)).has(vote.sitting_id))
      throw new DomainError("VOTE_CLOSED");
    return { accepted: true as const };
  });
}
