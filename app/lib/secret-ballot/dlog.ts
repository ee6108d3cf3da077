/**
 * Reading a count out of m·G: a baby-step giant-step search bounded by the number of ballots (a sum of 0/1 values
 * over N ballots is at most N), so the work is about 2·√(N+1) point steps and can never loop without end.
 * Baby-step tables are kept per group and size: every option of a vote, and every vote of a size, reuses them.
 * Keys are canonical encodings, the same bytes in every group.
 */
import { type Group, type Point, defaultGroup } from './group';

const babyTables = new WeakMap<Group<unknown>, Map<number, Map<string, number>>>();

function babySteps<P>(group: Group<P>, size: number): Map<string, number> {
	let tables = babyTables.get(group as Group<unknown>);
	if (!tables) babyTables.set(group as Group<unknown>, (tables = new Map()));
	let table = tables.get(size);
	if (!table) {
		table = new Map();
		let p = group.IDENTITY;
		for (let j = 0; j < size; j++) {
			table.set(group.encode(p), j);
			p = group.add(p, group.G);
		}
		if (tables.size >= 8) tables.delete(tables.keys().next().value as number);
		tables.set(size, table);
	}
	return table;
}

/** The m in [0, max] with m·G = point, or null if there is none. */
export function boundedLog<P = Point>(point: P, max: number, group: Group<P> = defaultGroup<P>()): number | null {
	if (!Number.isSafeInteger(max) || max < 0) return null;
	const size = Math.ceil(Math.sqrt(max + 1));
	const table = babySteps(group, size);
	const stride = group.mulPublic(group.G, BigInt(size));
	let q = point;
	for (let i = 0; i <= size; i++) {
		const j = table.get(group.encode(q));
		if (j !== undefined) {
			const m = i * size + j;
			return m <= max ? m : null;
		}
		q = group.sub(q, stride);
	}
	return null;
}
