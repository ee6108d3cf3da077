import { describe, expect, it } from 'vitest';
import { encryptBallot } from './ballot';
import { makeBoard } from './test-helpers';
import { type TallyBoard, verifyTally } from './verify-tally';

const spec = { options: 3 };
const board = makeBoard('vote-7', spec, [0, 1, 0, 2, 0]);
const copy = (): TallyBoard => JSON.parse(JSON.stringify(board));

describe('verifyTally', () => {
	it('agrees with an honest board', () => {
		const r = verifyTally(board);
		expect(r.ok).toBe(true);
		expect(r.ok && r.counts).toEqual([3, 1, 1]);
		expect(board.counts).toEqual([3, 1, 1]);
		expect(r.ok && r.trackers.length).toBe(5);
	});

	it('an election with at most 2 of 4', () => {
		const e = makeBoard('vote-8', { options: 4, min: 0, max: 2 }, [[0, 1], [], [1], [1, 3]]);
		expect(e.counts).toEqual([1, 3, 0, 1]);
		expect(verifyTally(e).ok).toBe(true);
	});

	it('detects a changed result', () => {
		const b = copy();
		b.counts = [2, 2, 1];
		expect(verifyTally(b)).toEqual({ ok: false, reason: 'result-mismatch' });
	});

	it('detects a swapped ballot (a voter’s ballot replaced by a fresh one)', () => {
		const b = copy();
		b.ballots[1].ballot = encryptBallot({
			...spec,
			publicKey: b.publicKey,
			voteId: b.voteId,
			voterId: b.ballots[1].voterId,
			choice: 0
		}).ballot;
		expect(verifyTally(b)).toEqual({ ok: false, reason: 'aggregate-mismatch' });
	});

	it('detects ballots exchanged between voters', () => {
		const b = copy();
		[b.ballots[0].ballot, b.ballots[1].ballot] = [b.ballots[1].ballot, b.ballots[0].ballot];
		expect(verifyTally(b)).toEqual({
			ok: false,
			reason: 'bad-ballot',
			ballot: 0,
			ballotReason: 'wrong-voter'
		});
	});

	it('detects a dropped ballot', () => {
		const b = copy();
		b.ballots.pop();
		expect(verifyTally(b)).toEqual({ ok: false, reason: 'aggregate-mismatch' });
	});

	it('detects a replayed ciphertext cast under another voter’s name', () => {
		const b = copy();
		b.ballots.push({ voterId: 'delegate-99', ballot: { ...b.ballots[0].ballot, voterId: 'delegate-99' } });
		expect(verifyTally(b)).toEqual({ ok: false, reason: 'bad-ballot', ballot: 5, ballotReason: 'option-proof' });
	});

	it('detects a duplicated voter', () => {
		const b = copy();
		b.ballots.push(b.ballots[0]);
		expect(verifyTally(b)).toEqual({
			ok: false,
			reason: 'duplicate-voter',
			ballot: 5
		});
	});

	it('detects a wrong partial decryption and a missing one', () => {
		const b = copy();
		b.partials[1].shares[2].d = b.partials[0].shares[2].d;
		expect(verifyTally(b)).toEqual({
			ok: false,
			reason: 'bad-partial',
			member: b.partials[1].index
		});
		const c = copy();
		c.partials.pop();
		expect(verifyTally(c)).toEqual({ ok: false, reason: 'too-few-partials' });
	});

	it('detects a key that is not the committee’s', () => {
		const b = copy();
		b.publicKey = makeBoard('vote-7', spec, []).publicKey;
		expect(verifyTally(b)).toEqual({ ok: false, reason: 'wrong-key' });
		const c = copy();
		c.committee.dealings[0].proof.z = c.committee.dealings[1].proof.z;
		expect(verifyTally(c)).toEqual({
			ok: false,
			reason: 'bad-committee',
			member: 1
		});
	});

	it('checking the whole board in one equation gives the same answers as ballot by ballot', () => {
		const spoiled = (b: TallyBoard, i: number) =>
			(b.ballots[i].ballot.options[0].proof[1].z = b.ballots[i === 0 ? 1 : 0].ballot.options[0].proof[1].z);
		const badThenDuplicate = copy();
		spoiled(badThenDuplicate, 2);
		badThenDuplicate.ballots.push(badThenDuplicate.ballots[0]);
		const duplicateThenBad = copy();
		duplicateThenBad.ballots.splice(1, 0, duplicateThenBad.ballots[0]);
		spoiled(duplicateThenBad, 3);
		const expected = [
			{ ok: false, reason: 'bad-ballot', ballot: 2, ballotReason: 'option-proof' },
			{ ok: false, reason: 'duplicate-voter', ballot: 1 }
		];
		[badThenDuplicate, duplicateThenBad].forEach((b, i) => {
			expect(verifyTally(b, undefined, { wholeBoard: true })).toEqual(expected[i]);
			expect(verifyTally(b, undefined, { wholeBoard: true, chunk: 2 })).toEqual(expected[i]);
			expect(verifyTally(b, undefined, { wholeBoard: false })).toEqual(expected[i]);
		});
		const lateBad = copy();
		spoiled(lateBad, 4);
		for (const chunk of [1, 2, 3, 100]) {
			expect(verifyTally(lateBad, undefined, { chunk })).toEqual({ ...expected[0], ballot: 4 });
			expect(verifyTally(board, undefined, { chunk }).ok).toBe(true);
		}
		expect(verifyTally(board, undefined, { wholeBoard: false })).toEqual(verifyTally(board));
	});

	it('never throws on junk', () => {
		for (const junk of [null, 1, [], {}, { ...copy(), ballots: 'x' }, { ...copy(), committee: null }]) {
			expect(verifyTally(junk).ok).toBe(false);
		}
		expect(verifyTally({ ...copy(), ballots: new Array(10).fill(null) }, 5)).toEqual({
			ok: false,
			reason: 'malformed'
		});
	});
});
