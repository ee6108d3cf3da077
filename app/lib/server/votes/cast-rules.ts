import type { BallotKind } from '../../domain/ballot';
import { validateChoice } from '../../domain/ballot';
import { assertCanCast } from '../../domain/vote-lifecycle';
import type { CastInput, CastResult, VoteForCast } from './cast-types';

/** A retry of a ballot already counted gets the first answer again, even after the close. */
function previousAnswer(vote: VoteForCast, key: string): CastResult | null {
	return vote.open_voted && vote.open_key === key ? { accepted: true } : null;
}

export type Decision = { kind: 'answered'; result: CastResult } | { kind: 'count'; choice: unknown; alreadyVoted: boolean; voted: number };

/** The rules, on what was read: a retry's first answer, a refusal (thrown), or the ballot to count. */
export function decide(vote: VoteForCast, input: CastInput, now = Date.now()): Decision {
	if (vote.is_delegate && input.idempotencyKey) {
		const retried = previousAnswer(vote, input.idempotencyKey);
		if (retried) return { kind: 'answered', result: retried };
	}
	const expired = vote.status === 'open' && vote.closes_at !== null && vote.closes_at.getTime() <= now;
	const alreadyVoted = vote.open_voted;
	assertCanCast({
		voteStatus: expired ? 'closed' : vote.status,
		isDelegateOfCouncil: vote.is_delegate,
		checkedIn: vote.checked_in,
		alreadyVoted,
		allowChange: vote.allow_change
	});
	const choice = validateChoice(vote.ballot_type as BallotKind, vote.options as never, input.choice);
	return { kind: 'count', choice, alreadyVoted, voted: alreadyVoted ? vote.ballots_cast : vote.ballots_cast + 1 };
}

/** Counted, not revealed: the event carries the count only, never who or what. */
export function ballotEvent(vote: Pick<VoteForCast, 'id' | 'present'>, voted: number) {
	return { voteId: vote.id, voted, present: vote.present };
}
