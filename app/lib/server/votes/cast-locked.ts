import { randomInt } from "node:crypto";
import { sql } from "kysely";
import type { Db } from "../../../../db/client.js";
import { DomainError } from "../../domain/errors";
import { newReceiptCode } from "../domain/receipt";
import { AppError } from "../errors";
import { isEncryptedVote } from "../secret-ballot/is-encrypted";
import { appendEvent, type Trx } from "../sittings/events";
import { idempotencyHash, receiptFromKey } from "./ballot-secret";
import { planBatch } from "./batch-plan";
import { ballotEvent, decide } from "./cast-rules";
import type { CastInput, CastResult } from "./cast-types";
import { loadSittingFacts, voteForCast } from "./voting-facts";
import { writeBallots } from "./write-ballots";

/**
 * A cast under the sitting's lock, for what a group does not take (a secret ballot, whose box is rewritten; an
 * open one that lost the race to its sitting's head three times). It takes the lock as every writer of a sitting
 * does, so it is ordered against the close, then reads in its own statement, so it sees a close that committed
 * while it waited. Same read, same rules and, for an open ballot, the same write as a group: a group of one.
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
    if (vote.kind === "open") {
      const plan = planBatch([{ input, vote }], new Date().toISOString());
      const [outcome] = plan.outcomes;
      if (outcome.kind === "answered") return outcome.result;
      if (outcome.kind === "refused") throw outcome.error;
      // Under the lock the head cannot move: only the write's own check (the database's clock) can refuse.
      if (!(await writeBallots(trx, plan)).has(vote.sitting_id))
        throw new DomainError("VOTE_CLOSED");
      return { accepted: true as const };
    }
    // An encrypted secret vote (issue 17) takes only a ciphertext with its proofs (secretBallot.cast): a plain
    // choice sent here must not reach its tables, nor the plaintext box it does not have.
    if (await isEncryptedVote(trx, vote.id))
      throw new AppError("BAD_REQUEST", "secretBallot.castEncrypted");
    const decision = decide(vote, input);
    if (decision.kind === "answered") return decision.result;
    const receipt = input.idempotencyKey
      ? receiptFromKey(vote.id, input.idempotencyKey)
      : newReceiptCode();
    await trx
      .insertInto("secret_participation")
      .values({
        vote_id: vote.id,
        user_id: input.userId,
        idempotency_hash: input.idempotencyKey
          ? idempotencyHash(vote.id, input.userId, input.idempotencyKey)
          : null,
      })
      .execute();
    await dropIntoBallotBox(trx, vote.id, { receipt, choice: decision.choice });
    await trx
      .updateTable("votes")
      .set({ ballots_cast: decision.voted })
      .where("id", "=", vote.id)
      .execute();
    await appendEvent(
      trx,
      vote.sitting_id,
      "vote.ballot",
      ballotEvent(vote, decision.voted),
      { head: vote },
    );
    return { accepted: true as const, receipt };
  });
}

/**
 * The box is one unordered array: the new ballot goes in at a random place, so neither storage order nor
 * any id or time ties it to the participation row written in the same transaction.
 */
async function dropIntoBallotBox(
  trx: Trx,
  voteId: string,
  ballot: { receipt: string; choice: unknown },
) {
  const box = await trx
    .selectFrom("secret_ballot_boxes")
    .select("ballots")
    .where("vote_id", "=", voteId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  const ballots = box.ballots as { receipt: string; choice: unknown }[];
  ballots.splice(randomInt(ballots.length + 1), 0, ballot);
  await trx
    .updateTable("secret_ballot_boxes")
    .set({ ballots: JSON.stringify(ballots) })
    .where("vote_id", "=", voteId)
    .execute();
}
