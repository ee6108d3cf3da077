import { describe, expect, it } from 'vitest';
import { parseVietnamDateTime, sameVietnamDay } from './datetime';

describe('parseVietnamDateTime', () => {
	it('reads dd/mm/yyyy hh:mm as Vietnam time', () => {
		expect(parseVietnamDateTime('01/12/2026', '08:00')?.toISOString()).toBe('2026-12-01T01:00:00.000Z');
		expect(parseVietnamDateTime('1/1/2027', '6:30')?.toISOString()).toBe('2026-12-31T23:30:00.000Z');
	});
	it('refuses impossible dates and times', () => {
		expect(parseVietnamDateTime('31/02/2026', '08:00')).toBeNull();
		expect(parseVietnamDateTime('2026-12-01', '08:00')).toBeNull();
		expect(parseVietnamDateTime('01/12/2026', '24:00')).toBeNull();
	});
});

describe('sameVietnamDay', () => {
	it('compares calendar days in Vietnam time, not UTC or the browser zone', () => {
		// 07/12/2026 00:30 and 23:59 in Vietnam are the same day, though the first is still 06/12 in UTC.
		expect(sameVietnamDay('2026-12-06T17:30:00.000Z', '2026-12-07T16:59:00.000Z')).toBe(true);
		// 06/12/2026 23:59 and 07/12/2026 00:00 in Vietnam are not.
		expect(sameVietnamDay('2026-12-06T16:59:00.000Z', '2026-12-06T17:00:00.000Z')).toBe(false);
		expect(sameVietnamDay('2026-12-07T01:00:00.000Z', '2026-12-14T01:00:00.000Z')).toBe(false);
	});
});
