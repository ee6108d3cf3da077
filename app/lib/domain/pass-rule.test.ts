import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { formatMessage } from './messages';
import { isPassRule, passes, requiredYes, ruleLabelKey, type PassRule } from './pass-rule';

const majority: PassRule = { kind: 'majority' };
const twoThirds: PassRule = { kind: 'two_thirds' };

describe('majority: more than half of ALL seated delegates', () => {
	it('docs/domain.md example: 30 seated, 21 present — 15 yes fails, 16 passes', () => {
		expect(passes(majority, 15, 30)).toBe(false);
		expect(passes(majority, 16, 30)).toBe(true);
		expect(requiredYes(majority, 30)).toBe(16);
	});

	it('31 seated: 15 fails, 16 passes', () => {
		expect(passes(majority, 15, 31)).toBe(false);
		expect(passes(majority, 16, 31)).toBe(true);
		expect(requiredYes(majority, 31)).toBe(16);
	});

	it('is measured against seated, not present: 11 yes of 21 present is not enough with 30 seated', () => {
		expect(passes(majority, 11, 30)).toBe(false);
	});

	it('edge sizes', () => {
		expect(passes(majority, 1, 1)).toBe(true);
		expect(passes(majority, 1, 2)).toBe(false);
		expect(passes(majority, 2, 2)).toBe(true);
		expect(passes(majority, 0, 0)).toBe(false);
		expect(requiredYes(majority, 0)).toBe(1);
	});
});

describe('two thirds: at least two thirds of ALL seated delegates (bãi nhiệm)', () => {
	it('30 seated: 19 fails, 20 passes', () => {
		expect(passes(twoThirds, 19, 30)).toBe(false);
		expect(passes(twoThirds, 20, 30)).toBe(true);
		expect(requiredYes(twoThirds, 30)).toBe(20);
	});

	it('31 seated: 20 fails (20.66… needed), 21 passes', () => {
		expect(passes(twoThirds, 20, 31)).toBe(false);
		expect(passes(twoThirds, 21, 31)).toBe(true);
	});

	it('0 seated: nothing passes, although 0 ≥ ⅔·0', () => {
		expect(passes(twoThirds, 0, 0)).toBe(false);
	});
});

describe('custom fraction', () => {
	it('strict 1/2 equals majority; non-strict 1/2 passes at exactly half', () => {
		expect(passes({ kind: 'fraction', num: 1, den: 2, strict: true }, 15, 30)).toBe(false);
		expect(passes({ kind: 'fraction', num: 1, den: 2, strict: false }, 15, 30)).toBe(true);
		expect(passes({ kind: 'fraction', num: 1, den: 2, strict: false }, 14, 30)).toBe(false);
	});

	it('3/4 of 30 = 22.5: 22 fails, 23 passes, strict or not', () => {
		for (const strict of [true, false]) {
			const r: PassRule = { kind: 'fraction', num: 3, den: 4, strict };
			expect(passes(r, 22, 30)).toBe(false);
			expect(passes(r, 23, 30)).toBe(true);
			expect(requiredYes(r, 30)).toBe(23);
		}
	});

	it('strict 3/4 of 40 needs 31, non-strict 30', () => {
		expect(requiredYes({ kind: 'fraction', num: 3, den: 4, strict: true }, 40)).toBe(31);
		expect(requiredYes({ kind: 'fraction', num: 3, den: 4, strict: false }, 40)).toBe(30);
	});

	it('rejects malformed and unpassable rules', () => {
		expect(isPassRule({ kind: 'fraction', num: 1, den: 1, strict: true })).toBe(false);
		expect(isPassRule({ kind: 'fraction', num: 1, den: 1, strict: false })).toBe(true);
		expect(isPassRule({ kind: 'fraction', num: 0, den: 2, strict: false })).toBe(false);
		expect(isPassRule({ kind: 'fraction', num: 3, den: 2, strict: false })).toBe(false);
		expect(isPassRule({ kind: 'fraction', num: 1, den: 2 })).toBe(false);
		expect(isPassRule({ kind: 'plurality' })).toBe(false);
		expect(() =>
			passes({ kind: 'fraction', num: 0.5, den: 1, strict: false } as PassRule, 1, 2)
		).toThrow(DomainError);
	});
});

describe('counts', () => {
	it('refuses more yes than seated, negatives and fractions of a vote', () => {
		expect(() => passes(majority, 31, 30)).toThrow(
			expect.objectContaining({ code: 'VOTES_EXCEED_SEATED' })
		);
		expect(() => passes(majority, -1, 30)).toThrow(
			expect.objectContaining({ code: 'INVALID_NUMBER' })
		);
		expect(() => passes(majority, 15.5, 30)).toThrow(
			expect.objectContaining({ code: 'INVALID_NUMBER' })
		);
	});
});

const anyRule = fc.oneof(
	fc.constant<PassRule>(majority),
	fc.constant<PassRule>(twoThirds),
	fc
		.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.boolean())
		.map(
			([a, b, strict]) =>
				({ kind: 'fraction', num: Math.min(a, b), den: Math.max(a, b), strict }) as PassRule
		)
		.filter(isPassRule)
);

describe('properties', () => {
	it('passes ⇔ yes ≥ requiredYes, and passing is monotone in yes', () => {
		fc.assert(
			fc.property(anyRule, fc.integer({ min: 0, max: 3000 }), fc.nat(), (rule, seated, y) => {
				const yes = seated === 0 ? 0 : y % (seated + 1);
				expect(passes(rule, yes, seated)).toBe(yes >= requiredYes(rule, seated));
			})
		);
	});

	it('agrees with exact rational arithmetic (BigInt)', () => {
		fc.assert(
			fc.property(anyRule, fc.integer({ min: 1, max: 100_000 }), fc.nat(), (rule, seated, y) => {
				const yes = y % (seated + 1);
				const [num, den, strict] =
					rule.kind === 'majority'
						? [1n, 2n, true]
						: rule.kind === 'two_thirds'
							? [2n, 3n, false]
							: [BigInt(rule.num), BigInt(rule.den), rule.strict];
				const lhs = BigInt(yes) * den;
				const rhs = BigInt(seated) * num;
				expect(passes(rule, yes, seated)).toBe(yes > 0 && (strict ? lhs > rhs : lhs >= rhs));
			})
		);
	});
});

describe('ruleLabelKey', () => {
	it('majority with counts, in Vietnamese and English', () => {
		const l = ruleLabelKey(majority, 30);
		expect(l).toEqual({ key: 'passRule.majority.counted', params: { required: 16, seated: 30 } });
		expect(formatMessage('vi', l.key, l.params)).toBe('Quá nửa tổng số đại biểu (16/30)');
		expect(formatMessage('en', l.key, l.params)).toBe(
			'More than half of all seated delegates (16/30)'
		);
	});

	it('two thirds, without counts and with them', () => {
		const plain = ruleLabelKey(twoThirds);
		expect(formatMessage('vi', plain.key, plain.params)).toBe(
			'Ít nhất hai phần ba tổng số đại biểu'
		);
		const l = ruleLabelKey(twoThirds, 31);
		expect(formatMessage('vi', l.key, l.params)).toBe(
			'Ít nhất hai phần ba tổng số đại biểu (21/31)'
		);
	});

	it('fractions say "trên" when strict and "ít nhất" otherwise', () => {
		const s = ruleLabelKey({ kind: 'fraction', num: 3, den: 4, strict: true }, 40);
		expect(formatMessage('vi', s.key, s.params)).toBe('Trên 3/4 tổng số đại biểu (31/40)');
		const n = ruleLabelKey({ kind: 'fraction', num: 3, den: 4, strict: false });
		expect(formatMessage('vi', n.key, n.params)).toBe('Ít nhất 3/4 tổng số đại biểu');
	});
});
