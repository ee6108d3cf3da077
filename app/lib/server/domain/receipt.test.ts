import { describe, expect, it } from 'vitest';
import { CROCKFORD, newBallotId, newReceiptCode, normaliseReceipt } from './receipt';

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('receipt codes', () => {
	it('are 12 Crockford base32 characters shown as XXXX-XXXX-XXXX', () => {
		for (let i = 0; i < 200; i++) expect(newReceiptCode()).toMatch(FORMAT);
		expect(CROCKFORD).toHaveLength(32);
		expect(CROCKFORD).not.toMatch(/[ILOU]/);
	});

	it('do not repeat and use the whole alphabet', () => {
		const codes = Array.from({ length: 2000 }, newReceiptCode);
		expect(new Set(codes).size).toBe(codes.length);
		const used = new Set(codes.join('').replace(/-/g, ''));
		expect(used.size).toBe(32);
	});

	it('read back what was shown', () => {
		for (let i = 0; i < 50; i++) {
			const c = newReceiptCode();
			expect(normaliseReceipt(c)).toBe(c);
			expect(normaliseReceipt(c.toLowerCase().replace(/-/g, ' '))).toBe(c);
		}
	});

	it('forgive case, spaces, dashes, O for 0 and I/L for 1', () => {
		expect(normaliseReceipt(' ab12-cd34-ef56 ')).toBe('AB12-CD34-EF56');
		expect(normaliseReceipt('ab12cd34ef56')).toBe('AB12-CD34-EF56');
		expect(normaliseReceipt('O0Il-lIoO-1234')).toBe('0011-1100-1234');
		expect(normaliseReceipt('ＡＢ１２–ＣＤ３４—ＥＦ５６')).toBe('AB12-CD34-EF56'); // full-width, en/em dashes
	});

	it.each([
		'',
		'AB12-CD34-EF5',
		'AB12-CD34-EF567',
		'AB12-CD34-EFU6',
		'AB12_CD34_EF56',
		'ĐB12-CD34-EF56'
	])('refuse %j', (s) => {
		expect(() => normaliseReceipt(s)).toThrow(expect.objectContaining({ code: 'INVALID_RECEIPT' }));
	});
});

describe('ballot ids', () => {
	it('are random UUID v4, never sequential', () => {
		const a = newBallotId();
		const b = newBallotId();
		expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(a).not.toBe(b);
	});
});
