import { AppError } from '../errors';
import { headMove, linkNext, type HeadMove } from '../sittings/events';
import { ballotEvent, decide } from './cast-rules';
import type { BatchPlan, CastInput, VoteForCast } from './cast-types';

/**
 * Applies the ballot rules to a batch of casts read in one statement (`vote` undefined: no such vote), in the
 * order they arrived. Ballots of the same vote are counted one after another and their events chained one
 * after another from the sitting's head, so the batch writes exactly what the same casts made one by one would
 * have written. The caller makes sure a delegate appears at most once per batch.
 */
export function planBatch(items: { input: CastInput; vote: VoteForCast | undefined }[], createdAt: string, now = Date.now()): BatchPlan {
	const plan: BatchPlan = { outcomes: [], heads: [], ballots: [], counts: [], events: [] };
	const heads = new Map<string, HeadMove>();
	const counts = new Map<string, BatchPlan['counts'][number]>();
	for (const { input, vote } of items) {
		if (!vote) {
			plan.outcomes.push({ kind: 'refused', error: new AppError('NOT_FOUND', 'vote.notFound') });
			continue;
		}
		// A secret vote takes only a ciphertext with its proofs (secretBallot.cast): a plain choice never reaches it.
		if (vote.kind !== 'open') {
			plan.outcomes.push({ kind: 'refused', error: new AppError('BAD_REQUEST', 'secretBallot.castEncrypted') });
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
		const head = heads.get(vote.sitting_id) ?? headMove(vote.sitting_id, vote);
		heads.set(vote.sitting_id, head);
		counts.set(vote.id, { voteId: vote.id, ballotsCast: decision.voted, sittingId: vote.sitting_id });
		plan.ballots.push({ voteId: vote.id, userId: input.userId, choice: JSON.stringify(decision.choice), idempotencyKey: input.idempotencyKey ?? null, sittingId: vote.sitting_id });
		plan.events.push(linkNext(head, 'vote.ballot', ballotEvent(vote, decision.voted), createdAt));
		plan.outcomes.push({ kind: 'count', sittingId: vote.sitting_id, event: plan.events.length - 1 });
	}
	plan.heads = [...heads.values()];
	plan.counts = [...counts.values()];
	return plan;
}
