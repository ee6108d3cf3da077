/**
 * Reading a count out of m·G: a baby-step giant-step search bounded by the number of ballots (a sum of 0/1 values
 * over N ballots is at most N), so the work is about 2·√(N+1) point steps and can never loop without end.
 * Baby-step tables are kept per size: every option of a vote, and every vote of a size, reuses them.
 */
import { G, IDENTITY, type Point, gTimes } from './group';

const babyTables = new Map<number, Map<string, number>>();

function babySteps(size: number): Map<string, number> {
	let table = babyTables.get(size);
	if (!table) {
		table = new Map();
		let p = IDENTITY;
		for (let j = 0; j < size; j++) {
			table.set(p.toHex(), j);
			p = p.add(G);
		}
		if (babyTables.size >= 8) babyTables.delete(babyTables.keys().next().value as number);
		babyTables.set(size, table);
	}
	return table;
}

/** The m in [0, max] with m·G = point, or null if there is none. */
export function boundedLog(point: Point, max: number): number | null {
	if (!Number.isSafeInteger(max) || max < 0) return null;
	const size = Math.ceil(Math.sqrt(max + 1));
	const table = babySteps(size);
	const stride = gTimes(size);
	let q = point;
	for (let i = 0; i <= size; i++) {
		const j = table.get(q.toHex());
		if (j !== undefined) {
			const m = i * size + j;
			return m <= max ? m : null;
		}
		q = q.subtract(stride);
	}
	return null;
}
