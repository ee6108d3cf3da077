import { describe, expect, it } from 'vitest';
import { parseVietnamDateTime } from './datetime';

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
