import { describe, expect, it } from 'vitest';
import { groupByArea, mainDistrict } from './groups';
import { testRow } from './test-rows';

describe('groupByArea: the status grid by former province and district', () => {
	const rows = [
		testRow('26020', {
			formerProvince: 'Bà Rịa - Vũng Tàu',
			formerDistrict: 'TP. Vũng Tàu'
		}),
		testRow('26740', { formerDistrict: 'Quận 1' }),
		testRow('25741', {
			formerProvince: 'Bình Dương',
			formerDistrict: 'TP. Thủ Dầu Một'
		}),
		testRow('27163', { formerDistrict: 'Quận 6, Quận 8' }),
		testRow('city'),
		testRow('26737', { formerDistrict: 'Quận 1' }),
		testRow('27154', { formerDistrict: 'Quận 6' })
	];

	it('puts the city council first, then TP.HCM, Bình Dương, Bà Rịa - Vũng Tàu, each council once', () => {
		const groups = groupByArea(rows);
		expect(groups.map((g) => g.province)).toEqual(['', 'TP.HCM', 'Bình Dương', 'Bà Rịa - Vũng Tàu']);
		expect(groups[0].districts).toEqual([{ district: '', rows: [rows[4]] }]);
		expect(groups.flatMap((g) => g.districts.flatMap((d) => d.rows))).toHaveLength(rows.length);
	});

	it('orders districts and their units by official code; a merged unit sits under its first former district', () => {
		const hcm = groupByArea(rows)[1];
		expect(hcm.districts.map((d) => [d.district, d.rows.map((r) => r.code)])).toEqual([
			['Quận 1', ['26737', '26740']],
			['Quận 6', ['27154', '27163']]
		]);
	});

	it('reads the main former district from a list', () => {
		expect(
			mainDistrict(
				testRow('1', {
					formerDistrict: 'Huyện Bình Chánh, Quận Bình Tân, Quận 8'
				})
			)
		).toBe('Huyện Bình Chánh');
		expect(mainDistrict(testRow('1', { formerDistrict: null }))).toBe('');
	});
});
