import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDuration, formatMonth } from './format';

describe('Vietnam-time formatting', () => {
	it('shows dd/MM/yyyy in Vietnam time even when UTC is still on the previous day', () => {
		// 20:30 UTC on 11 Nov is 03:30 on 12 Nov in Ho Chi Minh City (UTC+7).
		expect(formatDate('2026-11-11T20:30:00Z')).toBe('12/11/2026');
		expect(formatDateTime('2026-11-11T20:30:00Z')).toBe('12/11/2026 03:30');
	});

	it('uses a 24-hour clock', () => {
		expect(formatDateTime('2026-01-05T10:05:00Z')).toBe('05/01/2026 17:05');
	});

	it('shows a YYYY-MM month as MM/yyyy and leaves anything else as it is', () => {
		expect(formatMonth('2026-03')).toBe('03/2026');
		expect(formatMonth('2026-3')).toBe('2026-3');
	});

	it('formats speaking time as mm:ss, with overruns negative', () => {
		expect(formatDuration(125)).toBe('02:05');
		expect(formatDuration(-7)).toBe('-00:07');
	});
});
