import { describe, expect, it } from 'vitest';
import { decide } from './cast-rules';
import type { SittingFacts } from './cast-types';
import { voteForCast } from './voting-facts';
import { openVoteRow } from './vote-row.fixture';

const H7 = '7'.repeat(64);

/** A sitting at head 7 with one open yes/no/abstain vote; d1–d4 delegates, d1–d3 checked in, d1 has voted. */
function facts(overrides: Partial<SittingFacts> = {}): SittingFacts {
	return {
		sittingId: 'sitting-1',
		lastSeq: 7,
		headHash: H7,
		votes: new Map([['vote-a', openVoteRow({ ballots_cast: 1 })]]),
		delegates: new Set(['d1', 'd2', 'd3', 'd4']),
		checkedIn: new Set(['d1', 'd2', 'd3', 'guest']),
		voters: new Map([['vote-a', new Map([['d1', 'key-1']])]]),
		present: 3,
		...overrides
	};
}

describe("voteForCast: one delegate's cast as the rules see it, from a sitting's facts", () => {
	it("gives the rules each delegate's standing, the count and the head", () => {
		const s = facts();
		expect(voteForCast(s, 'vote-a', 'd2')).toMatchObject({ is_delegate: true, checked_in: true, open_voted: false, present: 3, last_seq: 7, head_hash: H7, ballots_cast: 1 });
		expect(voteForCast(s, 'vote-a', 'd4')).toMatchObject({ is_delegate: true, checked_in: false });
		expect(voteForCast(s, 'vote-a', 'guest')).toMatchObject({ is_delegate: false, checked_in: true });
		expect(voteForCast(s, 'vote-a', 'd1')).toMatchObject({ open_voted: true, open_key: 'key-1' });
		expect(voteForCast(s, 'vote-b', 'd2')).toBeUndefined();
	});

	it('lets the rules refuse what they must, and answer a retry with its first answer', () => {
		const s = facts();
		expect(() => decide(voteForCast(s, 'vote-a', 'd4')!, { voteId: 'vote-a', userId: 'd4', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'NOT_CHECKED_IN' }));
		expect(() => decide(voteForCast(s, 'vote-a', 'guest')!, { voteId: 'vote-a', userId: 'guest', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'NOT_A_DELEGATE' }));
		expect(() => decide(voteForCast(s, 'vote-a', 'd1')!, { voteId: 'vote-a', userId: 'd1', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'ALREADY_VOTED' }));
		expect(decide(voteForCast(s, 'vote-a', 'd1')!, { voteId: 'vote-a', userId: 'd1', choice: 'no', idempotencyKey: 'key-1' })).toEqual({ kind: 'answered', result: { accepted: true } });
	});
});

describe('the same read for the cast under the lock: closed votes', () => {
	const closed = () =>
		facts({
			votes: new Map([['vote-c', openVoteRow({ id: 'vote-c', status: 'closed', ballots_cast: 1 })]]),
			voters: new Map([['vote-c', new Map([['d1', 'key-1']])]])
		});

	it('gives a closed vote\'s voters as they voted', () => {
		expect(voteForCast(closed(), 'vote-c', 'd1')).toMatchObject({ open_voted: true, open_key: 'key-1' });
		expect(voteForCast(closed(), 'vote-c', 'd2')).toMatchObject({ open_voted: false, open_key: undefined });
	});

	it('answers a retry of a closed vote with its first answer, and refuses any other cast', () => {
		expect(decide(voteForCast(closed(), 'vote-c', 'd1')!, { voteId: 'vote-c', userId: 'd1', choice: 'no', idempotencyKey: 'key-1' })).toEqual({ kind: 'answered', result: { accepted: true } });
		expect(() => decide(voteForCast(closed(), 'vote-c', 'd2')!, { voteId: 'vote-c', userId: 'd2', choice: 'yes' })).toThrow(expect.objectContaining({ code: 'VOTE_CLOSED' }));
	});
});
