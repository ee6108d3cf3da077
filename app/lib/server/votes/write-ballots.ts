import { sql } from "kysely";
import type { Db } from "../../../../db/client.js";
import { appendEvents, type Trx } from "../sittings/events";
import type { BatchPlan } from "./cast-types";

/**
 * THE write of open ballots, for a group (cast-batch.ts) and for a single cast under the sitting's lock
 * (cast-locked.ts) alike: the plan's ballots and counts as companions of its events, in the grouped append of
 * sitting events (sittings/events.ts), each sitting's part applied only if its head is still the one the plan
 * was decided on. Returns the sittings whose part was applied.
 */
export function writeBallots(
  executor: Db | Trx,
  plan: BatchPlan,
): Promise<Set<string>> {
  const { ballots, counts } = plan;
  return appendEvents(executor, plan.heads, plan.events, {
    // What the head does not vouch for (see SittingFacts) is checked here: a voter no longer an active
    // delegate, or a vote past its time limit by the database's clock, spoils the sitting's part.
    guard: sql`not exists (
			select 1 from unnest(${ballots.map((b) => b.userId)}::uuid[], ${ballots.map((b) => b.voteId)}::uuid[], ${ballots.map((b) => b.sittingId)}::uuid[]) as c(user_id, vote_id, sitting_id)
			join votes cv on cv.id = c.vote_id
			where c.sitting_id = s.id
				and (cv.status <> 'open' or cv.closes_at <= now()
					or not exists (select 1 from council_members m where m.council_id = s.council_id and m.user_id = c.user_id and m.role = 'delegate' and m.active)))`,
    alongside: [
      sql`ballot as (
				insert into open_ballots (vote_id, user_id, choice, idempotency_key, cast_at)
				select b.vote_id, b.user_id, b.choice::jsonb, b.idempotency_key, now()
				from unnest(${ballots.map((b) => b.voteId)}::uuid[], ${ballots.map((b) => b.userId)}::uuid[], ${ballots.map((b) => b.choice)}::text[], ${ballots.map((b) => b.idempotencyKey)}::text[], ${ballots.map((b) => b.sittingId)}::uuid[]) as b(vote_id, user_id, choice, idempotency_key, sitting_id)
				join head on head.id = b.sitting_id
				on conflict (vote_id, user_id) do update set choice = excluded.choice, cast_at = excluded.cast_at)`,
      sql`counted as (
				update votes v set ballots_cast = c.ballots_cast
				from unnest(${counts.map((c) => c.voteId)}::uuid[], ${counts.map((c) => c.ballotsCast)}::int[], ${counts.map((c) => c.sittingId)}::uuid[]) as c(vote_id, ballots_cast, sitting_id)
				join head on head.id = c.sitting_id
				where v.id = c.vote_id)`,
    ],
  });
}
