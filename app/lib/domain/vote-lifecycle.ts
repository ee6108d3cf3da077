import { DomainError } from './errors';
import type { MessageKey } from './messages';
import { assertQuorum, type QuorumState } from './quorum';
import type { SittingStatus } from './sitting-lifecycle';

// A vote is open once and then ends for good: closed (counted) or void (annulled, e.g. a technical
// failure; it is then re-run as a new vote). Reopening would let a result be chased after it is known.
export const VOTE_STATUSES = ['open', 'closed', 'void'] as const;
export type VoteStatus = (typeof VOTE_STATUSES)[number];

export function assertVoteTransition(from: VoteStatus, to: VoteStatus): void {
	if (!(from === 'open' && (to === 'closed' || to === 'void'))) {
		throw new DomainError('ILLEGAL_VOTE_TRANSITION', { from: String(from), to: String(to) });
	}
}

export function voteStatusLabelKey(status: VoteStatus): MessageKey {
	return `voteStatus.${status}`;
}

export type CastContext = {
	voteStatus: VoteStatus;
	isDelegateOfCouncil: boolean;
	checkedIn: boolean;
	alreadyVoted: boolean;
	/** Council setting (councils.allow_vote_change). Must be false for secret ballots: nothing links a
	 * delegate to their ballot, so there is no ballot to replace. */
	allowChange: boolean;
};

/**
 * docs/domain.md: one vote per delegate, no second vote once cast (unless the council allows a change).
 * The delegate check comes first so that outsiders learn nothing about the vote's state.
 */
export function assertCanCast(c: CastContext): void {
	if (!c.isDelegateOfCouncil) throw new DomainError('NOT_A_DELEGATE');
	if (c.voteStatus !== 'open') throw new DomainError('VOTE_CLOSED');
	if (!c.checkedIn) throw new DomainError('NOT_CHECKED_IN');
	if (c.alreadyVoted && !c.allowChange) throw new DomainError('ALREADY_VOTED');
}

export type OpenContext = {
	sittingStatus: SittingStatus;
	/** From quorumState(): the message needs present/seated/required, not only a yes/no. */
	quorum: QuorumState;
	anotherVoteOpen: boolean;
};

/** A vote opens only in a sitting in progress, with a quorum, and one at a time. */
export function assertCanOpen(c: OpenContext): void {
	if (c.sittingStatus !== 'in_progress') throw new DomainError('SITTING_NOT_IN_PROGRESS');
	assertQuorum(c.quorum);
	if (c.anotherVoteOpen) throw new DomainError('VOTE_ALREADY_OPEN');
}
