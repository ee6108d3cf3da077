import { describe, expect, it } from 'vitest';
import { searchName } from './search-name.js';

describe('searchName', () => {
	it.each([
		['Bến Thành', 'ben thanh'],
		['Thủ Dầu Một', 'thu dau mot'],
		['Côn Đảo', 'con dao'],
		['Bà Rịa', 'ba ria'],
		['  Phường   Sài Gòn ', 'phuong sai gon']
	])('%s → %s', (input, expected) => {
		expect(searchName(input)).toBe(expected);
	});

	it('folds decomposed (NFD) input the same as composed input', () => {
		expect(searchName('Bến Thành'.normalize('NFD'))).toBe(searchName('Bến Thành'));
	});
});
