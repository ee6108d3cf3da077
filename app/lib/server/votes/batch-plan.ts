import { linkEvent } from '../domain/hash-chain';
import { AppError } from '../api/errors';
import { encodeNotifyPayload } from '../realtime/notify-payload';
import { ballotEvent, decide, type CastInput, type CastResult, type VoteForCast } from './cast-rules';

/** What became of one cast of a batch once the rules were applied to what was read. */
export type PlannedOutcome =
	| { kind: 'answered'; result: CastResult }
	| { kind: 'refused'; error: unknown }
	/** A secret ballot: its box is rewritten under the sitting's lock, not in a batch. */
	| { kind: 'secret' }
	/** Counted if its sitting's head has not moved since the read; `event` indexes `events`. */
	| { kind: 'count'; sittingId: string; event: number };

export interface PlannedEvent {
	sittingId: string;
	seq: number;
	type: 'vote.ballot';
	payload: Record<string, unknown>;
	createdAt: string;
	prevHash: string;
	hash: string;
	notice: string;
}

export interface BatchPlan {
	outcomes: PlannedOutcome[];
	/** One per sitting with ballots: its head as read (the write's condition) and the head after them. */
	heads: { sittingId: string; prevSeq: number; seq: number; hash: string }[];
	ballots: { voteId: string; userId: string; choice: string; idempotencyKey: string | null; sittingId: string }[];
	/** One per vote: how many have voted after this batch. */
	counts: { voteId: string; ballotsCast: number; sittingId: string }[];
	events: PlannedEvent[];
}

/**
 * Applies the ballot rules to a batch of casts read in one snapshot (`vote` undefined: no such vote), in the
 * order they arrived. Ballots of the same vote are counted one after another and their events chained one
 * after another from the sitting's head, so the batch writes exactly what the same casts made one by one would
 * have written. The caller makes sure a delegate appears at most once per batch.
 */
export function planBatch(items: { input: CastInput; vote: VoteForCast | undefined }[], createdAt: string, now = Date.now()): BatchPlan {
	const plan: BatchPlan = { outcomes: [], heads: [], ballots: [], counts: [], events: [] };
	const heads = new Map<string, BatchPlan['heads'][number]>();
	const counts = new Map<string, BatchPlan['counts'][number]>();
	for (const { input, vote } of items) {
		if (!vote) {
			plan.outcomes.push({ kind: 'refused', error: new AppError('NOT_FOUND', 'vote.notFound') });
			continue;
		}
		if (vote.kind !== 'open') {
			plan.outcomes.push({ kind: 'secret' });
			continue;
		}
		const count = counts.get(vote.id);
		let decision;
		try {
			decision = decide(count ? { ...vote, ballots_cast: count.ballotsCast } : vote, input, now);
		} catch (error) {
			plan.outcomes.push({ kind: 'refused', error });
			continue;
		}
		if (decision.kind === 'answered') {
			plan.outcomes.push({ kind: 'answered', result: decision.result });
			continue;
		}
		const readSeq = Number(vote.last_seq);
		const head = heads.get(vote.sitting_id) ?? { sittingId: vote.sitting_id, prevSeq: readSeq, seq: readSeq, hash: vote.head_hash };
		const payload = ballotEvent(vote, decision.voted);
		const stored = linkEvent(head.seq > 0 ? { seq: head.seq, hash: head.hash } : null, { type: 'vote.ballot', payload, createdAt });
		head.seq = stored.seq;
		head.hash = stored.hash;
		heads.set(vote.sitting_id, head);
		counts.set(vote.id, { voteId: vote.id, ballotsCast: decision.voted, sittingId: vote.sitting_id });
		plan.ballots.push({ voteId: vote.id, userId: input.userId, choice: JSON.stringify(decision.choice), idempotencyKey: input.idempotencyKey ?? null, sittingId: vote.sitting_id });
		const notice = encodeNotifyPayload(vote.sitting_id, stored.seq, { type: 'vote.ballot', payload, createdAt });
		plan.events.push({ sittingId: vote.sitting_id, seq: stored.seq, type: 'vote.ballot', payload, createdAt, prevHash: stored.prevHash, hash: stored.hash, notice });
		plan.outcomes.push({ kind: 'count', sittingId: vote.sitting_id, event: plan.events.length - 1 });
	}
	plan.heads = [...heads.values()];
	plan.counts = [...counts.values()];
	return plan;
}
