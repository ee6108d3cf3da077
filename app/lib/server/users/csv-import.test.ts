import { describe, expect, it } from 'vitest';
import { parseDelegateCsv } from './csv-import';

describe('parseDelegateCsv', () => {
	it('accepts good rows and names each bad row with its line and reason', () => {
		const csv = [
			'username,full_name,password',
			'dbieu.an,Nguyễn Văn An,matkhau123',
			'Bad Name,Trần Thị Bình,matkhau123',
			'dbieu.chau,,matkhau123',
			'dbieu.dung,Lê Dũng,short',
			'dbieu.an,Nguyễn Văn An,matkhau123',
			'dbieu.giang,Phạm Giang'
		].join('\n');
		const { rows, rejected } = parseDelegateCsv(csv);
		expect(rows.map((r) => r.username)).toEqual(['dbieu.an']);
		expect(rejected).toEqual([
			{ line: 3, reasonKey: 'admin.csv.badUsername' },
			{ line: 4, reasonKey: 'admin.csv.emptyName' },
			{ line: 5, reasonKey: 'admin.csv.shortPassword' },
			{ line: 6, reasonKey: 'admin.csv.duplicate' },
			{ line: 7, reasonKey: 'admin.csv.missingColumns' }
		]);
	});

	it('handles a BOM, quoted commas and no header', () => {
		const { rows } = parseDelegateCsv('\uFEFFx.y,"Hồ, Thị Lan",matkhau123\n');
		expect(rows).toEqual([{ line: 1, username: 'x.y', fullName: 'Hồ, Thị Lan', password: 'matkhau123' }]);
	});
});
