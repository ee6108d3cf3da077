import { searchName } from '../../../db/search-name.js';
import type { MonitorRow } from './types';

export type SortKey = 'live' | 'code' | 'name' | 'overdue' | 'petitions';

/** The summary tiles, each a filter of its own (pressed again, it lets everything through). */
export const TILES = ['live', 'voting', 'today', 'term', 'issued', 'overdue', 'petitions'] as const;
export type TileKey = (typeof TILES)[number];

export interface MonitorFilter {
	q: string;
	kind: string;
	province: string;
	status: string;
	/** The pressed summary tile, or '' for none. */
	tile: TileKey | '';
	sort: SortKey;
}

// What the city wants to see first: a vote under way, then a sitting in session, then one convened, then the rest.
export const STATUS_ORDER: Record<MonitorRow['status'], number> = {
	voting: 0,
	in_session: 1,
	convened: 2,
	idle: 3
};
const collator = new Intl.Collator('vi', { numeric: true });

export function isLive(r: MonitorRow): boolean {
	return r.status === 'voting' || r.status === 'in_session';
}

/** Whether a council is let through by a summary tile: the councils behind the tile's figure. */
export function matchesTile(r: MonitorRow, tile: TileKey | ''): boolean {
	switch (tile) {
		case '':
			return true;
		case 'live':
			return isLive(r);
		case 'voting':
			return r.status === 'voting';
		case 'today':
			return r.sittings.today > 0;
		case 'term':
			return r.sittings.term > 0;
		case 'issued':
			return r.resolutions.issued > 0;
		case 'overdue':
			return r.tasks.overdue > 0;
		case 'petitions':
			return r.petitions.pending > 0;
	}
}

/** The city council first, then by official code: the order of the official list. */
export const byCode = (a: MonitorRow, b: MonitorRow): number => Number(b.kind === 'city') - Number(a.kind === 'city') || collator.compare(a.code, b.code);

/** Live councils first (voting, in session, convened), then the rest; by code within each. */
export const byLive = (a: MonitorRow, b: MonitorRow): number => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || byCode(a, b);

const BY: Record<SortKey, (a: MonitorRow, b: MonitorRow) => number> = {
	live: byLive,
	code: byCode,
	name: (a, b) => collator.compare(a.name, b.name),
	overdue: (a, b) => b.tasks.overdue - a.tasks.overdue || byCode(a, b),
	petitions: (a, b) => b.petitions.pending - a.petitions.pending || byCode(a, b)
};

/** The dashboard's search (without diacritics), filters and sort, on the browser's copy of the 169 rows. */
export function applyFilter(rows: MonitorRow[], f: MonitorFilter): MonitorRow[] {
	const needle = searchName(f.q);
	const out = rows.filter(
		(r) =>
			(!needle || r.searchName.includes(needle) || r.code.includes(needle) || searchName(r.formerDistrict ?? '').includes(needle)) &&
			(!f.kind || r.kind === f.kind) &&
			(!f.province || (r.formerProvince ?? '') === f.province) &&
			(!f.status || (f.status === 'live' ? isLive(r) : r.status === f.status)) &&
			matchesTile(r, f.tile)
	);
	return out.sort(BY[f.sort] ?? byLive);
}
