import { describe, expect, it } from 'vitest';
import {
	checkDealing,
	combineShares,
	committeeParams,
	createDealing,
	exportMemberSecret,
	importMemberSecret,
	jointPublicKey,
	verificationKey,
	verifyShare
} from './committee';
import { mustScalar, pointToHex, scalarToHex } from './codec';
import { G, addS, mulSecret, randomScalar } from './group';
import { lagrangeAtZero } from './tally';
import { makeCommittee } from './test-helpers';

describe('committee key generation (2 of 3)', () => {
	it('gives every member a share of one joint key that any two can rebuild, one cannot', () => {
		const { params, dealings, secrets, publicKey } = makeCommittee('vote-1');
		expect(secrets.map((s) => s.publicKey)).toEqual([publicKey, publicKey, publicKey]);
		const x = secrets.map((s) => mustScalar(s.secretShare, 'x'));
		for (const [i, j] of [
			[1, 2],
			[1, 3],
			[2, 3]
		]) {
			const key = addS(x[i - 1] * lagrangeAtZero([i, j], i), x[j - 1] * lagrangeAtZero([i, j], j));
			expect(pointToHex(mulSecret(G, key))).toBe(publicKey);
		}
		// One share alone is just a point on the polynomial, not the key.
		expect(pointToHex(mulSecret(G, x[0]))).not.toBe(publicKey);
		secrets.forEach((s, j) => expect(s.verificationKey).toBe(verificationKey(params, dealings, j + 1)));
	});

	it('a share that does not match the commitments is caught', () => {
		const params = committeeParams('vote-1');
		const { dealing, shares } = createDealing(params, 1);
		expect(verifyShare(params, dealing, 2, shares[1].share)).toBe(true);
		expect(verifyShare(params, dealing, 3, shares[1].share)).toBe(false);
		expect(verifyShare(params, dealing, 2, scalarToHex(randomScalar()))).toBe(false);
		expect(verifyShare(params, dealing, 2, 'not hex')).toBe(false);
	});

	it('combining refuses a bad share', () => {
		const params = committeeParams('vote-1');
		const dealt = [1, 2, 3].map((i) => createDealing(params, i));
		const received = dealt.map((d) => ({
			from: d.dealing.index,
			share: d.shares[0].share
		}));
		received[2] = { from: 3, share: dealt[2].shares[1].share };
		expect(() =>
			combineShares(
				params,
				1,
				dealt.map((d) => d.dealing),
				received
			)
		).toThrow(/member 3/);
	});

	it('a dealing is bound to its vote and member by the proof of knowledge', () => {
		const params = committeeParams('vote-1');
		const { dealing } = createDealing(params, 2);
		expect(checkDealing(params, dealing)).not.toBeNull();
		expect(checkDealing(committeeParams('vote-2'), dealing)).toBeNull();
		expect(checkDealing(params, { ...dealing, index: 3 })).toBeNull();
		// A rogue key: someone else's constant term copied without knowing its secret.
		const rogue = {
			...dealing,
			commitments: [pointToHex(mulSecret(G, randomScalar())), dealing.commitments[1]]
		};
		expect(checkDealing(params, rogue)).toBeNull();
		expect(
			checkDealing(params, {
				...dealing,
				commitments: dealing.commitments.slice(1)
			})
		).toBeNull();
		expect(checkDealing(params, null)).toBeNull();
		expect(() => jointPublicKey(params, [dealing, dealing])).toThrow();
	});

	it('3 of 5 works too', () => {
		const { secrets, publicKey } = makeCommittee('vote-9', 3, 5);
		const set = [2, 4, 5];
		const key = set.reduce(
			(acc, i) => addS(acc, mustScalar(secrets[i - 1].secretShare, 'x') * lagrangeAtZero(set, i)),
			0n
		);
		expect(pointToHex(mulSecret(G, key))).toBe(publicKey);
	});

	it('refuses impossible parameters', () => {
		expect(() => committeeParams('v', 4, 3)).toThrow();
		expect(() => committeeParams('v', 0, 3)).toThrow();
		expect(() => committeeParams('', 2, 3)).toThrow();
		expect(() => createDealing(committeeParams('v'), 4)).toThrow();
	});
});

describe('a member secret saved as a file', () => {
	it('round-trips through JSON', () => {
		const { secrets } = makeCommittee('vote-1');
		const text = exportMemberSecret(secrets[1]);
		expect(importMemberSecret(text)).toEqual(secrets[1]);
	});

	it('refuses a file that is not a member secret or whose share was altered', () => {
		const { secrets } = makeCommittee('vote-1');
		expect(() => importMemberSecret('{')).toThrow(/not JSON/);
		expect(() => importMemberSecret('{"kind":"other"}')).toThrow(/not a member secret/);
		const altered = { ...secrets[0], secretShare: scalarToHex(randomScalar()) };
		expect(() => importMemberSecret(JSON.stringify(altered))).toThrow(/does not match/);
		expect(() => importMemberSecret(JSON.stringify({ ...secrets[0], index: 9 }))).toThrow(/invalid/);
	});
});
