import { describe, expect, it } from 'vitest';
import { committeeParams, createDealing, verifyShare } from './committee';
import { createTransportKey, openShare, sealShare } from './seal';

describe('sealed shares', () => {
	const params = committeeParams('vote-5');
	const { dealing, shares } = createDealing(params, 1);
	const bob = createTransportKey();

	it('open only with the recipient’s transport key, and verify against the dealing', () => {
		const sealed = sealShare('vote-5', 1, 2, bob.public, shares[1].share);
		expect(sealed.c).not.toBe(shares[1].share);
		const opened = openShare('vote-5', bob, sealed);
		expect(opened).toBe(shares[1].share);
		expect(verifyShare(params, dealing, 2, opened!)).toBe(true);
		const eve = createTransportKey();
		expect(openShare('vote-5', eve, sealed)).not.toBe(shares[1].share);
	});

	it('a share altered in transit, or moved to another vote or member, fails the Feldman check', () => {
		const sealed = sealShare('vote-5', 1, 2, bob.public, shares[1].share);
		const altered = { ...sealed, c: sealShare('vote-5', 1, 2, bob.public, shares[2].share).c };
		expect(verifyShare(params, dealing, 2, openShare('vote-5', bob, altered)!)).toBe(false);
		expect(verifyShare(params, dealing, 2, openShare('vote-6', bob, sealed)!)).toBe(false);
		expect(verifyShare(params, dealing, 2, openShare('vote-5', bob, { ...sealed, from: 3 })!)).toBe(false);
	});

	it('refuses malformed envelopes', () => {
		expect(openShare('vote-5', bob, null)).toBeNull();
		expect(openShare('vote-5', bob, { from: 1, to: 2, k: 'x', c: 'y' })).toBeNull();
	});
});
