import { describe, expect, it } from 'vitest';
import { quorumState } from './quorum';
import {
	assertCanCast,
	assertCanOpen,
	assertVoteTransition,
	type CastContext,
	VOTE_STATUSES
} from './vote-lifecycle';

const ok: CastContext = {
	voteStatus: 'open',
	isDelegateOfCouncil: true,
	checkedIn: true,
	alreadyVoted: false,
	allowChange: false
};
const code = (c: string) => expect.objectContaining({ code: c });

describe('assertCanCast', () => {
	it('a checked-in delegate may vote once on an open vote', () => {
		expect(() => assertCanCast(ok)).not.toThrow();
	});

	it.each([
		['closed', { voteStatus: 'closed' }, 'VOTE_CLOSED'],
		['void', { voteStatus: 'void' }, 'VOTE_CLOSED'],
		['not a delegate of this council', { isDelegateOfCouncil: false }, 'NOT_A_DELEGATE'],
		['not checked in', { checkedIn: false }, 'NOT_CHECKED_IN'],
		['second vote', { alreadyVoted: true }, 'ALREADY_VOTED']
	] as const)('%s → %s', (_n, patch, expected) => {
		expect(() => assertCanCast({ ...ok, ...patch })).toThrow(code(expected));
	});

	it('a changed vote is allowed only where the council allows it', () => {
		expect(() => assertCanCast({ ...ok, alreadyVoted: true, allowChange: true })).not.toThrow();
	});

	it('an outsider learns nothing about the vote: NOT_A_DELEGATE before VOTE_CLOSED', () => {
		expect(() =>
			assertCanCast({ ...ok, isDelegateOfCouncil: false, voteStatus: 'closed' })
		).toThrow(code('NOT_A_DELEGATE'));
	});

	it('a closed vote refuses even a delegate who is not checked in with VOTE_CLOSED', () => {
		expect(() =>
			assertCanCast({ ...ok, voteStatus: 'closed', checkedIn: false, alreadyVoted: true })
		).toThrow(code('VOTE_CLOSED'));
	});
});

describe('assertCanOpen', () => {
	const base = {
		sittingStatus: 'in_progress' as const,
		quorum: quorumState(20, 30),
		anotherVoteOpen: false
	};

	it('opens in a sitting in progress with a quorum and no other open vote', () => {
		expect(() => assertCanOpen(base)).not.toThrow();
	});

	it.each(['draft', 'convened', 'closed'] as const)('refuses while the sitting is %s', (s) => {
		expect(() => assertCanOpen({ ...base, sittingStatus: s })).toThrow(
			code('SITTING_NOT_IN_PROGRESS')
		);
	});

	it('refuses without a quorum (19 of 30), with the counts', () => {
		expect(() => assertCanOpen({ ...base, quorum: quorumState(19, 30) })).toThrow(
			expect.objectContaining({
				code: 'QUORUM_NOT_MET',
				params: { present: 19, seated: 30, required: 20 }
			})
		);
	});

	it('refuses a second open vote', () => {
		expect(() => assertCanOpen({ ...base, anotherVoteOpen: true })).toThrow(
			code('VOTE_ALREADY_OPEN')
		);
	});
});

describe('vote status', () => {
	it('only an open vote can end, as closed or void', () => {
		for (const from of VOTE_STATUSES) {
			for (const to of VOTE_STATUSES) {
				const allowed = from === 'open' && to !== 'open';
				if (allowed) expect(() => assertVoteTransition(from, to)).not.toThrow();
				else expect(() => assertVoteTransition(from, to)).toThrow(code('ILLEGAL_VOTE_TRANSITION'));
			}
		}
	});
});
