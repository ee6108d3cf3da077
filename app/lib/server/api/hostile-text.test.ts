import { describe, expect, it } from 'vitest';
import { findInvalidText } from './hostile-text';

describe('findInvalidText', () => {
	it('accepts Vietnamese text, emoji and ordinary structures', () => {
		expect(findInvalidText({ title: 'Kỳ họp thứ 3 😀', items: ['Điều 1.', { a: 1 }] })).toBeNull();
	});
	it('names the field holding a NUL or a lone surrogate', () => {
		expect(findInvalidText({ body: { legalBases: ['ok', 'x\u0000'] } })).toBe('body.legalBases[1]');
		expect(findInvalidText({ title: 'a\uDFFFb' })).toBe('title');
		expect(findInvalidText({ title: 'a\uD800' })).toBe('title');
	});
});
