import { DomainError } from './errors';

/** A share of the seated delegates, e.g. 2/3. Kept as two integers so thresholds are exact. */
export type Fraction = { num: number; den: number };

// Large enough for any setting a council would choose (51/100, 667/1000); small enough that
// count × den stays a safe integer with counts ≤ MAX_COUNT.
export const MAX_DENOMINATOR = 1_000_000;

export const TWO_THIRDS: Fraction = Object.freeze({ num: 2, den: 3 });
export const ONE_HALF: Fraction = Object.freeze({ num: 1, den: 2 });

export function isFraction(f: unknown): f is Fraction {
	if (typeof f !== 'object' || f === null) return false;
	const { num, den } = f as Record<string, unknown>;
	return (
		Number.isInteger(num) &&
		Number.isInteger(den) &&
		(num as number) >= 1 &&
		(den as number) <= MAX_DENOMINATOR &&
		(num as number) <= (den as number)
	);
}

/** Settings come from the database and forms: reject anything that is not 0 < num ≤ den. */
export function assertFraction(f: unknown): asserts f is Fraction {
	if (!isFraction(f)) {
		const { num, den } = (typeof f === 'object' && f !== null ? f : {}) as Record<string, unknown>;
		throw new DomainError('INVALID_FRACTION', { num: String(num), den: String(den) });
	}
}

export function fraction(num: number, den: number): Fraction {
	const f = { num, den };
	assertFraction(f);
	return f;
}
