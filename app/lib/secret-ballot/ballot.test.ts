import { beforeAll, describe, expect, it } from 'vitest';
import {
	type Ballot,
	type BallotContext,
	auditBallot,
	encryptBallot,
	encryptVector,
	publicKeyPoint,
	verifyBallot
} from './ballot';
import { pointToHex } from './codec';
import { G, IDENTITY, mulSecret, randomScalar } from './group';
import { normaliseSpec } from './spec';

// A key whose secret the test never uses: ballots only need the public part.
const publicKey = pointToHex(mulSecret(G, randomScalar()));
const ctx: BallotContext = {
	publicKey,
	voteId: 'vote-1',
	voterId: 'delegate-7',
	options: 3
};
const clone = (b: Ballot): Ballot => JSON.parse(JSON.stringify(b));

/** What a dishonest client would send: any values, with the best proofs it can simulate. */
function forged(values: number[], c: BallotContext = ctx): Ballot {
	return encryptVector(c, normaliseSpec(c)!, publicKeyPoint(c.publicKey)!, values, true).ballot;
}

describe('encrypt and verify', () => {
	it.each([0, 1, 2])('yes / no / abstain: choice %i verifies', (choice) => {
		const { ballot, tracker } = encryptBallot({ ...ctx, choice });
		expect(verifyBallot(ballot, ctx)).toEqual({ ok: true, tracker });
		expect(tracker).toMatch(/^[0-9a-f]{64}$/);
	});

	it('an election of up to 2 among 5 (none, one or two chosen)', () => {
		const election = { ...ctx, options: 5, min: 0, max: 2 };
		for (const choices of [[], [3], [0, 4]]) {
			const { ballot } = encryptBallot({ ...election, choices });
			expect(verifyBallot(ballot, election).ok).toBe(true);
		}
		expect(() => encryptBallot({ ...election, choices: [0, 1, 2] })).toThrow();
		expect(() => encryptBallot({ ...election, choices: [1, 1] })).toThrow();
	});

	it('a confidence rating: one of three levels', () => {
		const rating = {
			...ctx,
			voteId: 'rating-3:person-12',
			options: 3,
			min: 1,
			max: 1
		};
		const { ballot } = encryptBallot({ ...rating, choice: 2 });
		expect(verifyBallot(ballot, rating).ok).toBe(true);
		expect(() => encryptBallot({ ...rating, choices: [] })).toThrow();
		expect(() => encryptBallot({ ...rating, choice: 3 })).toThrow();
	});

	it('a confidence rating of several persons: one level per person, each group proven on its own', () => {
		// 3 persons × (high, confidence, low): person p's level L is option 3p + L.
		const rating = { ...ctx, voteId: 'rating-4', options: 9, min: 1, max: 1, groups: 3 };
		const { ballot } = encryptBallot({ ...rating, choices: [0, 5, 7] });
		expect(verifyBallot(ballot, rating).ok).toBe(true);
		expect(ballot.sum).toHaveLength(3);
		expect(() => encryptBallot({ ...rating, choices: [0, 1, 7] })).toThrow(); // two levels for person 1, none for 2
		expect(() => encryptBallot({ ...rating, choices: [0, 5] })).toThrow(); // person 3 not rated
	});

	it('a confidence rating: a person rated twice and another not at all is refused, though the total is right', () => {
		const rating = { ...ctx, voteId: 'rating-5', options: 6, min: 1, max: 1, groups: 2 };
		expect(verifyBallot(forged([1, 1, 0, 0, 0, 0], rating), rating)).toEqual({ ok: false, reason: 'sum-proof' });
		// An honest ballot read with another grouping fails even where its values would fit: the grouping is bound.
		const honest = encryptBallot({ ...rating, choices: [2, 3] }).ballot;
		expect(verifyBallot(honest, { ...rating, groups: 1, max: 2, min: 2 }).ok).toBe(false);
		expect(verifyBallot(honest, { ...rating, groups: 3 }).ok).toBe(false);
	});

	it('a spec whose groups do not divide its options, or whose group is wider than a range proof, is not a spec', () => {
		expect(normaliseSpec({ options: 7, groups: 3 })).toBeNull();
		expect(normaliseSpec({ options: 130, groups: 2, min: 1, max: 1 })).toBeNull();
		expect(normaliseSpec({ options: 192, groups: 64 })).toEqual({ options: 192, groups: 64, min: 1, max: 1 });
		expect(normaliseSpec({ options: 195, groups: 65 })).toBeNull();
	});

	it('two encryptions of the same choice differ (randomised), so trackers are unique', () => {
		const a = encryptBallot({ ...ctx, choice: 0 });
		const b = encryptBallot({ ...ctx, choice: 0 });
		expect(a.tracker).not.toBe(b.tracker);
		expect(a.ballot.options[0].c1).not.toBe(b.ballot.options[0].c1);
	});
});

describe('hostile ballots are refused with a reason', () => {
	let honest: Ballot;
	beforeAll(() => {
		honest = encryptBallot({ ...ctx, choice: 1 }).ballot;
	});

	it('a ciphertext of 2 (and −1 to keep the sum at 1)', () => {
		expect(verifyBallot(forged([2, -1, 0]), ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 0
		});
	});

	it('a ciphertext of −1', () => {
		expect(verifyBallot(forged([1, 1, -1]), ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 2
		});
	});

	it('two options at 1', () => {
		expect(verifyBallot(forged([1, 1, 0]), ctx)).toEqual({
			ok: false,
			reason: 'sum-proof'
		});
	});

	it('no option at 1 when exactly one is required', () => {
		expect(verifyBallot(forged([0, 0, 0]), ctx)).toEqual({
			ok: false,
			reason: 'sum-proof'
		});
	});

	it('a proof made for another vote', () => {
		const other = encryptBallot({ ...ctx, voteId: 'vote-2', choice: 1 }).ballot;
		expect(verifyBallot(other, ctx)).toEqual({
			ok: false,
			reason: 'wrong-vote'
		});
		expect(verifyBallot({ ...clone(other), voteId: ctx.voteId }, ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 0
		});
	});

	it('a proof made for another voter (a copied ballot)', () => {
		const mine = { ...ctx, voterId: 'delegate-8' };
		expect(verifyBallot(honest, mine)).toEqual({
			ok: false,
			reason: 'wrong-voter'
		});
		expect(verifyBallot({ ...clone(honest), voterId: 'delegate-8' }, mine)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 0
		});
	});

	it('a ballot for another key', () => {
		const key = pointToHex(mulSecret(G, randomScalar()));
		expect(verifyBallot(encryptBallot({ ...ctx, publicKey: key, choice: 0 }).ballot, ctx)).toEqual({
			ok: false,
			reason: 'wrong-key'
		});
	});

	it('a tampered proof: a response, a commitment, a challenge', () => {
		const z = clone(honest);
		z.options[1].proof[0].z = honest.options[1].proof[1].z;
		expect(verifyBallot(z, ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 1
		});
		const a = clone(honest);
		a.options[2].proof[1].a = pointToHex(mulSecret(G, randomScalar()));
		expect(verifyBallot(a, ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 2
		});
		const e = clone(honest);
		[e.sum[0].e, e.sum[0].z] = [honest.options[0].proof[0].e, honest.options[0].proof[0].z];
		expect(verifyBallot(e, ctx)).toEqual({ ok: false, reason: 'sum-proof' });
	});

	it('swapped ciphertexts between options', () => {
		const s = clone(honest);
		[s.options[0], s.options[1]] = [s.options[1], s.options[0]];
		expect(verifyBallot(s, ctx)).toEqual({
			ok: false,
			reason: 'option-proof',
			option: 0
		});
	});

	it('invalid point encodings and the identity', () => {
		const bad = clone(honest);
		bad.options[1].c2 = '0100000000000000000000000000000000000000000000000000000000000000';
		expect(verifyBallot(bad, ctx)).toEqual({
			ok: false,
			reason: 'bad-point',
			option: 1
		});
		const zero = clone(honest);
		zero.options[0].c1 = pointToHex(IDENTITY);
		expect(verifyBallot(zero, ctx)).toEqual({
			ok: false,
			reason: 'bad-point',
			option: 0
		});
		const upper = clone(honest);
		upper.options[2].c1 = upper.options[2].c1.toUpperCase();
		expect(verifyBallot(upper, ctx)).toEqual({
			ok: false,
			reason: 'bad-point',
			option: 2
		});
		const commit = clone(honest);
		commit.options[0].proof[1].b = 'ff'.repeat(32);
		expect(verifyBallot(commit, ctx)).toEqual({
			ok: false,
			reason: 'bad-point',
			option: 0
		});
	});

	it('a scalar ≥ ℓ', () => {
		const bad = clone(honest);
		bad.options[0].proof[0].z = 'ff'.repeat(32);
		expect(verifyBallot(bad, ctx)).toEqual({
			ok: false,
			reason: 'bad-scalar',
			option: 0
		});
	});

	it('wrong array lengths, refused before any decoding', () => {
		const fewer = clone(honest);
		fewer.options.pop();
		expect(verifyBallot(fewer, ctx)).toEqual({
			ok: false,
			reason: 'wrong-length'
		});
		const more = clone(honest);
		more.options.push(more.options[0]);
		expect(verifyBallot(more, ctx)).toEqual({
			ok: false,
			reason: 'wrong-length'
		});
		const proof = clone(honest);
		proof.options[1].proof.push(proof.options[1].proof[0]);
		expect(verifyBallot(proof, ctx)).toEqual({
			ok: false,
			reason: 'wrong-length',
			option: 1
		});
		const sum = clone(honest);
		sum.sum.push(sum.sum[0]);
		expect(verifyBallot(sum, ctx)).toEqual({
			ok: false,
			reason: 'wrong-length'
		});
		// A million entries of garbage: refused by length alone, at once.
		const huge = { ...clone(honest), options: new Array(1_000_000).fill('x') };
		const t = performance.now();
		expect(verifyBallot(huge, ctx)).toEqual({
			ok: false,
			reason: 'wrong-length'
		});
		expect(performance.now() - t).toBeLessThan(50);
	});

	it('garbage of every type, never a throw', () => {
		for (const junk of [null, undefined, 1, 'ballot', [], [honest], { v: 2 }, { ...honest, options: 'x' }]) {
			const r = verifyBallot(junk, ctx);
			expect(r.ok).toBe(false);
		}
		expect(verifyBallot(JSON.parse(JSON.stringify({ ...honest, options: [null, 1, {}] })), ctx)).toEqual({
			ok: false,
			reason: 'malformed',
			option: 0
		});
		expect(verifyBallot({ ...clone(honest), v: 2 }, ctx)).toEqual({
			ok: false,
			reason: 'version'
		});
	});

	it('an invalid context is the verifier’s fault, not the voter’s', () => {
		expect(verifyBallot(honest, { ...ctx, options: 0 })).toEqual({
			ok: false,
			reason: 'bad-context'
		});
		expect(verifyBallot(honest, { ...ctx, publicKey: 'zz' })).toEqual({
			ok: false,
			reason: 'bad-context'
		});
	});
});

describe('check my device (Benaloh challenge)', () => {
	it('opens to the choice the delegate made, and to nothing else', () => {
		const { ballot, randomness } = encryptBallot({ ...ctx, choice: 2 });
		expect(auditBallot(ballot, randomness, 2)).toEqual({ ok: true });
		expect(auditBallot(ballot, randomness, 0)).toEqual({
			ok: false,
			reason: 'mismatch',
			option: 0
		});
		expect(auditBallot(ballot, [...randomness].reverse(), 2)).toEqual({
			ok: false,
			reason: 'mismatch',
			option: 0
		});
	});

	it('catches a page that encrypts something else than what was chosen', () => {
		// The page was asked for option 0 but encrypted option 1.
		const { ballot, randomness } = encryptBallot({ ...ctx, choice: 1 });
		expect(auditBallot(ballot, randomness, 0).ok).toBe(false);
	});

	it('an election opens to its set of choices', () => {
		const election = { ...ctx, options: 4, min: 0, max: 2 };
		const { ballot, randomness } = encryptBallot({
			...election,
			choices: [1, 3]
		});
		expect(auditBallot(ballot, randomness, [3, 1])).toEqual({ ok: true });
		expect(auditBallot(ballot, randomness, [1])).toEqual({
			ok: false,
			reason: 'mismatch',
			option: 3
		});
	});

	it('refuses malformed openings without throwing', () => {
		const { ballot, randomness } = encryptBallot({ ...ctx, choice: 0 });
		expect(auditBallot(ballot, randomness.slice(1), 0)).toEqual({
			ok: false,
			reason: 'malformed'
		});
		expect(auditBallot(ballot, ['zz', ...randomness.slice(1)], 0)).toEqual({
			ok: false,
			reason: 'malformed',
			option: 0
		});
		expect(auditBallot(null, randomness, 0)).toEqual({
			ok: false,
			reason: 'malformed'
		});
	});
});
