import { describe, expect, it } from 'vitest';
import { chainHash, GENESIS, linkEvent } from '../domain/hash-chain';
import { planBatch } from './batch-plan';
import type { CastInput, VoteForCast } from './cast-types';
import { openVoteRow } from './vote-row.fixture';

const CREATED = '2026-11-23T08:00:00.000Z';
const HEAD_HASH = chainHash(GENESIS, { seq: 1, type: 'sitting.created', payload: {}, createdAt: CREATED });

/** An open yes/no/abstain vote as the rules see it, for a checked-in delegate who has not voted. */
function read(overrides: Partial<VoteForCast> = {}): VoteForCast {
	return {
		...openVoteRow({ ballots_cast: 4 }),
		is_delegate: true,
		checked_in: true,
		open_key: null,
		open_voted: false,
		secret_hash: null,
		secret_voted: false,
		present: 28,
		last_seq: 7,
		head_hash: HEAD_HASH,
		...overrides
	} as VoteForCast;
}

const cast = (userId: string, choice: unknown = 'yes', voteId = 'vote-a', idempotencyKey?: string): CastInput => ({ voteId, userId, choice, idempotencyKey });

describe('planBatch: a group of casts written as if made one by one', () => {
	it('counts ballots of one vote one after another and chains their events from the head read', () => {
		const plan = planBatch([{ input: cast('u1'), vote: read() }, { input: cast('u2', 'no'), vote: read() }, { input: cast('u3', 'abstain'), vote: read() }], CREATED);
		expect(plan.outcomes.map((o) => o.kind)).toEqual(['count', 'count', 'count']);
		expect(plan.events.map((e) => [e.seq, e.payload])).toEqual([
			[8, { voteId: 'vote-a', voted: 5, present: 28 }],
			[9, { voteId: 'vote-a', voted: 6, present: 28 }],
			[10, { voteId: 'vote-a', voted: 7, present: 28 }]
		]);
		// Exactly the links the one-by-one path makes.
		let head = { seq: 7, hash: HEAD_HASH };
		for (const event of plan.events) {
			const expected = linkEvent(head, { type: 'vote.ballot', payload: event.payload, createdAt: CREATED });
			expect(event).toMatchObject({ prevHash: expected.prevHash, hash: expected.hash });
			head = { seq: expected.seq, hash: expected.hash };
		}
		expect(plan.heads).toEqual([{ sittingId: 'sitting-1', prevSeq: 7, seq: 10, hash: head.hash }]);
		expect(plan.counts).toEqual([{ voteId: 'vote-a', ballotsCast: 7, sittingId: 'sitting-1' }]);
		expect(plan.ballots.map((b) => [b.userId, b.choice])).toEqual([
			['u1', '"yes"'],
			['u2', '"no"'],
			['u3', '"abstain"']
		]);
	});

	it('keeps each sitting on its own chain and count', () => {
		const other = { id: 'vote-b', sitting_id: 'sitting-2', ballots_cast: 0, last_seq: 3, head_hash: GENESIS.replace(/0/g, 'a') };
		const plan = planBatch([{ input: cast('u1'), vote: read() }, { input: cast('v1', 'yes', 'vote-b'), vote: read(other) }, { input: cast('u2'), vote: read() }], CREATED);
		expect(plan.heads.map((h) => [h.sittingId, h.prevSeq, h.seq])).toEqual([
			['sitting-1', 7, 9],
			['sitting-2', 3, 4]
		]);
		expect(plan.counts.map((c) => [c.voteId, c.ballotsCast])).toEqual([
			['vote-a', 6],
			['vote-b', 1]
		]);
		expect(plan.events.map((e) => [e.sittingId, e.seq])).toEqual([
			['sitting-1', 8],
			['sitting-2', 4],
			['sitting-1', 9]
		]);
		expect(plan.events[1].prevHash).toBe(other.head_hash);
		expect(plan.events[2].prevHash).toBe(plan.events[0].hash);
		expect(plan.outcomes).toEqual([
			{ kind: 'count', sittingId: 'sitting-1', event: 0 },
			{ kind: 'count', sittingId: 'sitting-2', event: 1 },
			{ kind: 'count', sittingId: 'sitting-1', event: 2 }
		]);
	});

	it('refuses a cast without touching the chain or the count of the others', () => {
		const plan = planBatch(
			[
				{ input: cast('u1'), vote: read() },
				{ input: cast('absent'), vote: read({ checked_in: false }) },
				{ input: cast('u2', 'maybe'), vote: read() },
				{ input: cast('ghost', 'yes', 'vote-x'), vote: undefined },
				{ input: cast('u3'), vote: read() }
			],
			CREATED
		);
		expect(plan.outcomes.map((o) => o.kind)).toEqual(['count', 'refused', 'refused', 'refused', 'count']);
		const refusals = plan.outcomes.filter((o) => o.kind === 'refused').map((o) => (o as { error: { message: string; code: string } }).error);
		expect(refusals.map((e) => e.code)).toEqual(['NOT_CHECKED_IN', 'INVALID_CHOICE', 'NOT_FOUND']);
		expect(plan.events.map((e) => [e.seq, e.payload.voted])).toEqual([
			[8, 5],
			[9, 6]
		]);
	});

	it("answers a retry with the first answer, refuses a plain choice for a secret vote, and counts a changed vote once", () => {
		const plan = planBatch(
			[
				{ input: cast('u1', 'yes', 'vote-a', 'key-1'), vote: read({ open_voted: true, open_key: 'key-1' }) },
				{ input: cast('u2'), vote: read({ kind: 'secret' }) },
				{ input: cast('u3', 'no'), vote: read({ allow_change: true, open_voted: true }) },
				{ input: cast('u4'), vote: read({ allow_change: true }) }
			],
			CREATED
		);
		expect(plan.outcomes[0]).toEqual({ kind: 'answered', result: { accepted: true } });
		// A secret vote takes only an encrypted ballot (secretBallot.cast): nothing of u2's is written.
		expect(plan.outcomes[1]).toEqual({ kind: 'refused', error: expect.objectContaining({ code: 'BAD_REQUEST', i18nKey: 'secretBallot.castEncrypted' }) });
		expect(plan.ballots.map((b) => b.userId)).toEqual(['u3', 'u4']);
		// u3 changes an earlier ballot: the count stays 4; u4 is new: 5.
		expect(plan.events.map((e) => e.payload.voted)).toEqual([4, 5]);
		expect(plan.counts).toEqual([{ voteId: 'vote-a', ballotsCast: 5, sittingId: 'sitting-1' }]);
	});

	it('refuses casts after the time limit even if the vote still reads open', () => {
		const plan = planBatch([{ input: cast('u1'), vote: read({ closes_at: new Date('2026-11-23T07:59:00Z') }) }], CREATED, Date.parse(CREATED));
		expect(plan.outcomes[0].kind).toBe('refused');
		expect(plan.events).toEqual([]);
		expect(plan.heads).toEqual([]);
	});

	it('starts a chain at its genesis when the sitting has no event yet', () => {
		const plan = planBatch([{ input: cast('u1'), vote: read({ last_seq: 0, head_hash: GENESIS }) }], CREATED);
		expect(plan.events[0]).toMatchObject({ seq: 1, prevHash: GENESIS });
		expect(plan.heads[0]).toMatchObject({ prevSeq: 0, seq: 1 });
	});
});
