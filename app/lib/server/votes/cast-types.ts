import type { Selectable } from "kysely";
import type { VotesTable } from "../../../../db/schema.js";
import type { HeadMove, LinkedEvent } from "../sittings/events";

// The types a cast passes through — what is read (SittingFacts, VoteForCast), what is decided (BatchPlan) —
// in one module of their own, so that the read (voting-facts.ts), the planner (batch-plan.ts) and the write
// (write-ballots.ts) each depend on these and not on one another.

export interface CastInput {
  voteId: string;
  userId: string;
  choice: unknown;
  idempotencyKey?: string;
}

export interface CastResult {
  accepted: true;
}

/** What a cast is decided on: the vote, the sitting's chain head and this delegate's standing, read together. */
export type VoteForCast = Selectable<VotesTable> & {
  is_delegate: boolean;
  checked_in: boolean;
  open_key: string | null | undefined;
  open_voted: boolean;
  present: number;
  /** The sitting's chain head when this was read. */
  last_seq: number | string;
  head_hash: string;
};

/**
 * What the ballot rules need about one sitting, as of one chain head: its open votes (and any vote asked for by
 * id, whatever its state), the council's active delegates, who is checked in, and who has voted in which vote.
 * Read afresh for every group of casts (voting-facts.ts), never kept between groups.
 *
 * Why a group may decide on it without holding the sitting's lock: every change of a sitting that the rules
 * depend on (attendance, a vote opened, closed or voided, a ballot) appends an event and so moves the head, and a
 * write of ballots applies only if the head is still the one read. Facts that changed between the read and the
 * write therefore never count a ballot: the write does not apply and the cast is decided again on a new read.
 * Council membership and the vote's time limit are not chained; the write checks them itself (write-ballots.ts).
 */
export interface SittingFacts {
  sittingId: string;
  lastSeq: number;
  headHash: string;
  votes: Map<string, Selectable<VotesTable>>;
  delegates: Set<string>;
  checkedIn: Set<string>;
  /** Per open vote, voter → the idempotency key their ballot came with (null when it came without one). */
  voters: Map<string, Map<string, string | null>>;
  /** Checked-in active delegates: the `present` a ballot's event reports. */
  present: number;
}

/** What became of one cast of a group once the rules were applied to what was read. */
export type PlannedOutcome =
  | { kind: "answered"; result: CastResult }
  | { kind: "refused"; error: unknown }
  /** Counted if its sitting's head has not moved since the read; `event` indexes `events`. */
  | { kind: "count"; sittingId: string; event: number };

export interface BatchPlan {
  outcomes: PlannedOutcome[];
  /** One per sitting with ballots: its head as read (the write's condition) and the head after them. */
  heads: HeadMove[];
  ballots: {
    voteId: string;
    userId: string;
    choice: string;
    idempotencyKey: string | null;
    sittingId: string;
  }[];
  /** One per vote: how many have voted after this group. */
  counts: { voteId: string; ballotsCast: number; sittingId: string }[];
  events: LinkedEvent[];
}
