import type { MonitorRow } from './types';
import { byCode } from './filter';

export interface DistrictGroup {
	district: string;
	rows: MonitorRow[];
}

export interface ProvinceGroup {
	/** The former province (TP.HCM, Bình Dương, Bà Rịa - Vũng Tàu); '' for the city council itself. */
	province: string;
	districts: DistrictGroup[];
}

// The seed's former provinces in the order the 2025 merger lists them; anything else follows by name.
const PROVINCE_ORDER = ['TP.HCM', 'Bình Dương', 'Bà Rịa - Vũng Tàu'];
const collator = new Intl.Collator('vi', { numeric: true });

/**
 * A unit merged from several former districts ("Quận 6, Quận 8") sits under the first one named, its main
 * predecessor, so each council shows once and the grid keeps the shape of the old map.
 */
export function mainDistrict(r: MonitorRow): string {
	return (r.formerDistrict ?? '').split(',')[0].trim();
}

function rank(province: string): number {
	const i = PROVINCE_ORDER.indexOf(province);
	return province === '' ? -1 : i === -1 ? PROVINCE_ORDER.length : i;
}

/** The status grid's layout: the city council first, then by former province and district, by code within. */
export function groupByArea(rows: MonitorRow[]): ProvinceGroup[] {
	const provinces = new Map<string, Map<string, MonitorRow[]>>();
	for (const r of rows) {
		const province = r.kind === 'city' ? '' : (r.formerProvince ?? '');
		const district = r.kind === 'city' ? '' : mainDistrict(r);
		let districts = provinces.get(province);
		if (!districts) provinces.set(province, (districts = new Map()));
		const list = districts.get(district);
		if (list) list.push(r);
		else districts.set(district, [r]);
	}
	return [...provinces]
		.sort(([a], [b]) => rank(a) - rank(b) || collator.compare(a, b))
		.map(([province, districts]) => ({
			province,
			districts: [...districts]
				// Within a province the districts follow the official codes of their units (the order of the old map).
				.map(([district, list]) => ({ district, rows: list.sort(byCode) }))
				.sort((a, b) => byCode(a.rows[0], b.rows[0]))
		}));
}
