import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hexToPoint, hexToScalar, pointToHex, scalarToHex } from './codec';
import { G, IDENTITY, ORDER, mulSecret, randomScalar } from './group';
import { hashToScalar } from './hash';

// Invalid encodings from RFC 9496 appendix A.2 (non-canonical, negative, non-square x², negative xy, s = −1).
const BAD_ENCODINGS = [
	'00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
	'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
	'0100000000000000000000000000000000000000000000000000000000000000',
	'26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371',
	'3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e',
	'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'
];

describe('point encoding', () => {
	it('round-trips random points in one canonical spelling', () => {
		for (let i = 0; i < 5; i++) {
			const p = mulSecret(G, randomScalar());
			const hex = pointToHex(p);
			expect(hex).toMatch(/^[0-9a-f]{64}$/);
			expect(hexToPoint(hex)!.equals(p)).toBe(true);
			expect(hexToPoint(hex.toUpperCase())).toBeNull();
		}
	});

	it.each(BAD_ENCODINGS)('refuses the invalid encoding %s', (hex) => {
		expect(hexToPoint(hex)).toBeNull();
	});

	it('refuses the identity unless allowed, and wrong lengths or types', () => {
		const zero = pointToHex(IDENTITY);
		expect(zero).toBe('00'.repeat(32));
		expect(hexToPoint(zero)).toBeNull();
		expect(hexToPoint(zero, true)!.equals(IDENTITY)).toBe(true);
		expect(hexToPoint(pointToHex(G).slice(2))).toBeNull();
		expect(hexToPoint(pointToHex(G) + '00')).toBeNull();
		expect(hexToPoint(42)).toBeNull();
		expect(hexToPoint(null)).toBeNull();
	});
});

describe('scalar encoding', () => {
	it('round-trips every scalar below ℓ', () => {
		fc.assert(fc.property(fc.bigInt({ min: 0n, max: ORDER - 1n }), (s) => hexToScalar(scalarToHex(s)) === s));
	});

	it('refuses ℓ and above, upper case and wrong lengths', () => {
		const le = (n: bigint) => {
			const b = new Uint8Array(32);
			for (let i = 0; i < 32; i++) b[i] = Number((n >> BigInt(8 * i)) & 0xffn);
			return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
		};
		expect(hexToScalar(le(ORDER - 1n))).toBe(ORDER - 1n);
		expect(hexToScalar(le(ORDER))).toBeNull();
		expect(hexToScalar('ff'.repeat(32))).toBeNull();
		expect(hexToScalar(scalarToHex(5n).toUpperCase().replace('05', '0A'))).toBeNull();
		expect(hexToScalar('05')).toBeNull();
	});
});

describe('Fiat–Shamir hashing', () => {
	it('separates fields by length and type', () => {
		expect(hashToScalar('t', ['ab', 'c'])).not.toBe(hashToScalar('t', ['a', 'bc']));
		expect(hashToScalar('t', ['1'])).not.toBe(hashToScalar('t', [1]));
		expect(hashToScalar('t', ['x'])).not.toBe(hashToScalar('u', ['x']));
		expect(hashToScalar('t', ['x'])).toBe(hashToScalar('t', ['x']));
	});
});
