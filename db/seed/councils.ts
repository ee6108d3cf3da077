import type { Db } from '../client.js';
import type { CouncilKind } from '../schema.js';
import { searchName } from '../search-name.js';
import communes from './hcmc-communes-2025.json' with { type: 'json' };

interface OfficialUnit {
	code: string;
	type: string;
	name: string;
	area_km2: number | null;
	former_province: string | null;
	former_district: string | null;
	merged_from: string | null;
}

const KIND_BY_TYPE: Record<string, CouncilKind> = { Phường: 'ward', Xã: 'commune', 'Đặc khu': 'special_zone' };

export const CITY_CODE = 'city';

export function councilRows() {
	const city = {
		code: CITY_CODE,
		kind: 'city' as const,
		unit_name: 'Thành phố Hồ Chí Minh',
		name: 'Thành phố Hồ Chí Minh',
		search_name: searchName('Thành phố Hồ Chí Minh'),
		former_province: null,
		former_district: null,
		merged_from: null,
		area_km2: null
	};
	const units = (communes as OfficialUnit[]).map((u) => {
		const kind = KIND_BY_TYPE[u.type];
		if (!kind) throw new Error(`Unknown unit type ${u.type} for ${u.code}`);
		const name = `${u.type} ${u.name}`;
		return {
			code: u.code,
			kind,
			unit_name: u.name,
			name,
			search_name: searchName(name),
			former_province: u.former_province,
			former_district: u.former_district,
			merged_from: u.merged_from,
			area_km2: u.area_km2 === null ? null : String(u.area_km2)
		};
	});
	return [city, ...units];
}

/** Idempotent: the city council and the 168 commune-level councils, by official code. */
export async function seedCouncils(db: Db): Promise<void> {
	await db
		.insertInto('councils')
		.values(councilRows())
		.onConflict((oc) =>
			oc.column('code').doUpdateSet((eb) => ({
				kind: eb.ref('excluded.kind'),
				unit_name: eb.ref('excluded.unit_name'),
				name: eb.ref('excluded.name'),
				search_name: eb.ref('excluded.search_name'),
				former_province: eb.ref('excluded.former_province'),
				former_district: eb.ref('excluded.former_district'),
				merged_from: eb.ref('excluded.merged_from'),
				area_km2: eb.ref('excluded.area_km2')
			}))
		)
		.execute();
}
