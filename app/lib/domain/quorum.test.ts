import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors';
import { messageFor } from './messages';
import { assertQuorum, countsTowardQuorum, quorumRequired, quorumState } from './quorum';

describe('quorumRequired: at least two thirds of ALL seated delegates by default', () => {
	it.each([
		[30, 20],
		[95, 64], // 95·2/3 = 63.33… → 64
		[96, 64], // exact: 64
		[31, 21], // 20.66… → 21
		[3, 2],
		[1, 1],
		[0, 0]
	])('%i seated → %i required', (seated, required) => {
		expect(quorumRequired(seated)).toBe(required);
	});

	it('uses the council fraction', () => {
		expect(quorumRequired(30, { num: 1, den: 2 })).toBe(15);
		expect(quorumRequired(31, { num: 1, den: 2 })).toBe(16);
		expect(quorumRequired(30, { num: 3, den: 4 })).toBe(23); // 22.5 → 23
		expect(quorumRequired(40, { num: 3, den: 4 })).toBe(30);
		expect(quorumRequired(30, { num: 1, den: 1 })).toBe(30);
	});

	it('equals the exact rational ceiling for every council size and fraction (BigInt reference)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 0, max: 100_000 }),
				fc.integer({ min: 1, max: 1000 }),
				fc.integer({ min: 1, max: 1000 }),
				(seated, a, b) => {
					const num = Math.min(a, b);
					const den = Math.max(a, b);
					const r = quorumRequired(seated, { num, den });
					// smallest r with r·den ≥ seated·num
					expect(BigInt(r) * BigInt(den) >= BigInt(seated) * BigInt(num)).toBe(true);
					if (r > 0) expect(BigInt(r - 1) * BigInt(den) < BigInt(seated) * BigInt(num)).toBe(true);
				}
			)
		);
	});

	it('rejects bad counts and fractions', () => {
		expect(() => quorumRequired(-1)).toThrow(DomainError);
		expect(() => quorumRequired(2.5)).toThrow(DomainError);
		expect(() => quorumRequired(30, { num: 4, den: 3 })).toThrow(DomainError);
	});
});

describe('quorumState', () => {
	it('30 seated: 19 present is not a quorum, 20 is', () => {
		expect(quorumState(19, 30)).toEqual({ present: 19, seated: 30, required: 20, met: false });
		expect(quorumState(20, 30)).toEqual({ present: 20, seated: 30, required: 20, met: true });
	});

	it('95 seated: 63 is not a quorum, 64 is', () => {
		expect(quorumState(63, 95).met).toBe(false);
		expect(quorumState(64, 95).met).toBe(true);
	});

	it('with 1/2 and 3/4', () => {
		expect(quorumState(14, 30, { num: 1, den: 2 }).met).toBe(false);
		expect(quorumState(15, 30, { num: 1, den: 2 }).met).toBe(true);
		expect(quorumState(22, 30, { num: 3, den: 4 }).met).toBe(false);
		expect(quorumState(23, 30, { num: 3, den: 4 }).met).toBe(true);
	});

	it('a council with no seated delegates never has a quorum', () => {
		expect(quorumState(0, 0)).toEqual({ present: 0, seated: 0, required: 0, met: false });
	});

	it('refuses more present than seated', () => {
		expect(() => quorumState(31, 30)).toThrow(
			expect.objectContaining({ code: 'PRESENT_EXCEEDS_SEATED' })
		);
	});

	it('assertQuorum names the counts in Vietnamese', () => {
		expect(() => assertQuorum(quorumState(20, 30))).not.toThrow();
		try {
			assertQuorum(quorumState(19, 30));
			expect.unreachable();
		} catch (e) {
			expect(e).toMatchObject({
				code: 'QUORUM_NOT_MET',
				params: { present: 19, seated: 30, required: 20 }
			});
			expect(messageFor(e as DomainError)).toBe(
				'Chưa đủ số đại biểu tham dự theo quy định (19/30, cần tối thiểu 20).'
			);
		}
	});

	it('delegates present by video count toward the quorum, absentees do not', () => {
		expect(countsTowardQuorum('present_hall')).toBe(true);
		expect(countsTowardQuorum('present_remote')).toBe(true);
		expect(countsTowardQuorum('absent_excused')).toBe(false);
		expect(countsTowardQuorum('absent_unexcused')).toBe(false);
	});
});
