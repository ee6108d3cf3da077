import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors';
import {
	assertFraction,
	fraction,
	isFraction,
	MAX_DENOMINATOR,
	ONE_HALF,
	TWO_THIRDS
} from './fraction';

describe('Fraction', () => {
	it('accepts positive integers with num ≤ den, including 1/1', () => {
		expect(fraction(2, 3)).toEqual({ num: 2, den: 3 });
		expect(isFraction({ num: 1, den: 1 })).toBe(true);
		expect(isFraction({ num: 1, den: MAX_DENOMINATOR })).toBe(true);
		expect(isFraction(TWO_THIRDS) && isFraction(ONE_HALF)).toBe(true);
	});

	it.each([
		['zero numerator', { num: 0, den: 3 }],
		['negative', { num: -1, den: 3 }],
		['zero denominator', { num: 0, den: 0 }],
		['num > den', { num: 4, den: 3 }],
		['non-integer', { num: 1.5, den: 3 }],
		['NaN', { num: NaN, den: 3 }],
		['string digits', { num: '2', den: '3' }],
		['denominator too large', { num: 1, den: MAX_DENOMINATOR + 1 }],
		['null', null],
		['number', 0.66]
	])('rejects %s with INVALID_FRACTION', (_name, f) => {
		expect(isFraction(f)).toBe(false);
		try {
			assertFraction(f);
			expect.unreachable();
		} catch (e) {
			expect(isDomainError(e, 'INVALID_FRACTION')).toBe(true);
		}
	});
});
