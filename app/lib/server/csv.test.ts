import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvDocument, guardCell } from './csv';

describe('csvDocument: the one CSV writer', () => {
	it('starts with a BOM, ends rows with CRLF, and round-trips quotes, commas, semicolons and line breaks', () => {
		const rows = [
			['Câu hỏi', 'Ghi chú'],
			['Thông qua "kế hoạch", 2027?', 'dòng 1\ndòng 2; tiếp'],
			[30, null]
		];
		const out = csvDocument(rows);
		expect(out.startsWith('\uFEFF')).toBe(true);
		expect(out.endsWith('\r\n')).toBe(true);
		expect(parse(out.slice(1), { relax_column_count: true })).toEqual([
			['Câu hỏi', 'Ghi chú'],
			['Thông qua "kế hoạch", 2027?', 'dòng 1\ndòng 2; tiếp'],
			['30', '']
		]);
	});

	it('neutralises formulas in text cells, never in numbers', () => {
		for (const formula of ['=HYPERLINK("http://x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
			expect(guardCell(formula)).toBe(`'${formula}`);
			expect(parse(csvDocument([[formula]]).slice(1))).toEqual([[`'${formula}`]]);
		}
		expect(parse(csvDocument([[-5, 0, 12.5]]).slice(1))).toEqual([['-5', '0', '12.5']]);
		expect(guardCell('Tán thành')).toBe('Tán thành');
	});

	it('writes an empty row as an empty line (a blank line between sections)', () => {
		expect(csvDocument([['a'], [], ['b']])).toBe('\uFEFFa\r\n\r\nb\r\n');
	});
});
