import { describe, expect, it } from 'vitest';
import { encryptBallot } from './ballot';
import { verificationKey } from './committee';
import { mustPoint, pointToHex, scalarToHex } from './codec';
import { randomScalar } from './group';
import { type PartialDecryption, aggregateBallots, checkPartial, combinePartials, partialDecrypt } from './tally';
import { makeCommittee } from './test-helpers';

const voteId = 'vote-42';
const committee = makeCommittee(voteId);
const ctx = { voteId, publicKey: committee.publicKey };
// yes / no / abstain: 4 yes, 2 no, 1 abstain.
const choices = [0, 0, 1, 0, 2, 1, 0];
const ballots = choices.map(
	(choice, i) =>
		encryptBallot({
			publicKey: committee.publicKey,
			voteId,
			voterId: `d${i}`,
			options: 3,
			choice
		}).ballot
);
const sums = aggregateBallots(ballots, 3);
const partials = committee.secrets.map((s) => partialDecrypt(s, sums));
const vk = (index: number) => verificationKey(committee.params, committee.dealings, index);
const checked = (p: PartialDecryption) => ({
	index: p.index,
	shares: checkPartial(p, sums, vk(p.index), ctx)!
});

describe('tally with a 2-of-3 committee', () => {
	it.each([
		[1, 2],
		[1, 3],
		[3, 2]
	])('members %i and %i count 4 / 2 / 1', (a, b) => {
		expect(combinePartials(sums, [checked(partials[a - 1]), checked(partials[b - 1])], 2, ballots.length)).toEqual([
			4, 2, 1
		]);
	});

	it('all three agree with any two', () => {
		expect(combinePartials(sums, partials.map(checked), 2, ballots.length)).toEqual([4, 2, 1]);
	});

	it('one member alone cannot count', () => {
		expect(() => combinePartials(sums, [checked(partials[0])], 2, ballots.length)).toThrow(/threshold/);
		// The same member twice is still one member.
		expect(() => combinePartials(sums, [checked(partials[0]), checked(partials[0])], 2, ballots.length)).toThrow(
			/threshold/
		);
	});

	it('a single partial used as if it were the key reads nothing', () => {
		// Treating member 1's share as the whole key (threshold 1) yields no count within bounds.
		expect(() => combinePartials(sums, [checked(partials[0])], 1, ballots.length)).toThrow(/out of bounds/);
	});

	it('a wrong partial decryption is detected', () => {
		const wrong: PartialDecryption = JSON.parse(JSON.stringify(partials[1]));
		wrong.shares[0].d = partials[2].shares[0].d;
		expect(checkPartial(wrong, sums, vk(2), ctx)).toBeNull();
		// A partial made with a key that is not the member's own, with a valid-looking proof.
		const impostor = partialDecrypt({ ...committee.secrets[1], secretShare: scalarToHex(randomScalar()) }, sums);
		expect(checkPartial(impostor, sums, vk(2), ctx)).toBeNull();
		// Member 1's honest partial presented as member 2's.
		expect(checkPartial({ ...partials[0], index: 2 }, sums, vk(2), ctx)).toBeNull();
		// For another vote.
		expect(checkPartial(partials[1], sums, vk(2), { ...ctx, voteId: 'vote-43' })).toBeNull();
		expect(checkPartial(partials[1], sums, vk(2), ctx)).not.toBeNull();
	});

	it('refuses malformed partials without throwing', () => {
		for (const junk of [null, 5, {}, { index: 1, shares: [] }, { index: 1, shares: [null, null, null] }]) {
			expect(checkPartial(junk, sums, vk(1), ctx)).toBeNull();
		}
		const bad = JSON.parse(JSON.stringify(partials[0]));
		bad.shares[1].proof.z = 'ff'.repeat(32);
		expect(checkPartial(bad, sums, vk(1), ctx)).toBeNull();
	});

	it('an empty vote counts zeros', () => {
		const empty = aggregateBallots([], 3);
		expect(mustPoint(empty[0].c1, 'c1', true).is0()).toBe(true);
		const ps = committee.secrets.slice(0, 2).map((s) => partialDecrypt(s, empty));
		const ok = ps.map((p) => ({
			index: p.index,
			shares: checkPartial(p, empty, vk(p.index), ctx)!
		}));
		expect(ok.every((p) => p.shares !== null)).toBe(true);
		expect(combinePartials(empty, ok, 2, 0)).toEqual([0, 0, 0]);
		expect(pointToHex(ok[0].shares[0])).toBe(empty[0].c1);
	});
});
