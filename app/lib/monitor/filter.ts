import { searchName } from '$lib/text/search-name';
import type { MonitorRow } from '$lib/server/monitor/overview';

export type SortKey = 'code' | 'name' | 'status' | 'overdue' | 'petitions';

export interface MonitorFilter {
	q: string;
	kind: string;
	province: string;
	status: string;
	sort: SortKey;
}

const STATUS_ORDER: Record<MonitorRow['status'], number> = { voting: 0, in_session: 1, convened: 2, idle: 3 };
const collator = new Intl.Collator('vi', { numeric: true });

/** The dashboard's search (without diacritics), filters and sort, on the browser's copy of the 169 rows. */
export function applyFilter(rows: MonitorRow[], f: MonitorFilter): MonitorRow[] {
	const needle = searchName(f.q);
	const out = rows.filter(
		(r) =>
			(!needle || r.searchName.includes(needle) || r.code.includes(needle) || searchName(r.formerDistrict ?? '').includes(needle)) &&
			(!f.kind || r.kind === f.kind) &&
			(!f.province || (r.formerProvince ?? '') === f.province) &&
			(!f.status || (f.status === 'live' ? r.status === 'in_session' || r.status === 'voting' : r.status === f.status))
	);
	const by: Record<SortKey, (a: MonitorRow, b: MonitorRow) => number> = {
		code: (a, b) => Number(b.kind === 'city') - Number(a.kind === 'city') || collator.compare(a.code, b.code),
		name: (a, b) => collator.compare(a.name, b.name),
		status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || collator.compare(a.code, b.code),
		overdue: (a, b) => b.tasks.overdue - a.tasks.overdue || collator.compare(a.code, b.code),
		petitions: (a, b) => b.petitions.pending - a.petitions.pending || collator.compare(a.code, b.code)
	};
	return out.sort(by[f.sort] ?? by.code);
}
