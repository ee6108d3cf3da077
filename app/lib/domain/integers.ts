import { DomainError } from './errors';

// Thresholds are decided with integers only: 2/3 of 30 as a float is 19.999…, and one delegate's vote
// must never depend on rounding. Counts are capped so every product below stays a safe integer.
export const MAX_COUNT = 100_000;

/** A head count (seated, present, votes): an integer 0…MAX_COUNT, else INVALID_NUMBER. */
export function assertCount(field: string, value: number): void {
	if (!Number.isInteger(value) || value < 0 || value > MAX_COUNT) {
		throw new DomainError('INVALID_NUMBER', { field, value: String(value) });
	}
}

/** ⌊a/b⌋ for integers a ≥ 0, b > 0 without a floating-point division. */
export function floorDiv(a: number, b: number): number {
	return (a - (a % b)) / b;
}

/** ⌈a/b⌉ for integers a ≥ 0, b > 0. */
export function ceilDiv(a: number, b: number): number {
	const q = floorDiv(a, b);
	return q * b === a ? q : q + 1;
}
