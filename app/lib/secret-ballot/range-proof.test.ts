import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Batch } from './batch';
import { G, gTimes, mulSecret, randomScalar } from './group';
import { proveRange, queueRange } from './range-proof';

const h = mulSecret(G, randomScalar());

function encrypt(m: number) {
	const r = randomScalar();
	return { r, ct: { c1: mulSecret(G, r), c2: mulSecret(h, r).add(gTimes(m)) } };
}

function verifies(proof: unknown, ct: ReturnType<typeof encrypt>['ct'], lo: number, hi: number, bind = ['b']) {
	const batch = new Batch();
	return queueRange(batch, h, ct, proof, lo, hi, bind) === 'ok' && batch.holds();
}

describe('range proof', () => {
	it('proves any value in any small range, and nothing else', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.nat(), (lo, width, k) => {
				const hi = lo + width;
				const m = lo + (k % (width + 1));
				const { r, ct } = encrypt(m);
				const proof = proveRange(h, ct, r, m, lo, hi, ['b']);
				return verifies(proof, ct, lo, hi) && !verifies(proof, ct, lo, hi, ['c']);
			}),
			{ numRuns: 12 }
		);
	});

	it('a value outside the range cannot be proved', () => {
		for (const m of [-1, 2, 5]) {
			const { r, ct } = encrypt(m);
			expect(() => proveRange(h, ct, r, m, 0, 1, ['b'])).toThrow();
			expect(verifies(proveRange(h, ct, r, m, 0, 1, ['b'], true), ct, 0, 1)).toBe(false);
		}
	});

	it('a proof for one ciphertext does not fit another of the same value', () => {
		const one = encrypt(1);
		const other = encrypt(1);
		expect(verifies(proveRange(h, one.ct, one.r, 1, 0, 1, ['b']), other.ct, 0, 1)).toBe(false);
	});

	it('names what is malformed', () => {
		const { r, ct } = encrypt(0);
		const proof = proveRange(h, ct, r, 0, 0, 1, ['b']);
		const batch = new Batch();
		expect(queueRange(batch, h, ct, proof.slice(1), 0, 1, ['b'])).toBe('shape');
		expect(queueRange(batch, h, ct, [proof[0], { ...proof[1], a: 'x' }], 0, 1, ['b'])).toBe('point');
		expect(queueRange(batch, h, ct, [proof[0], { ...proof[1], e: 'ff'.repeat(32) }], 0, 1, ['b'])).toBe('scalar');
		expect(queueRange(batch, h, ct, [proof[1], proof[0]], 0, 1, ['b'])).toBe('challenge');
	});
});
