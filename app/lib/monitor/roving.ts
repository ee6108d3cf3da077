export interface Box {
	left: number;
	top: number;
	width: number;
	height: number;
}

export const NAV_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;
export type NavKey = (typeof NAV_KEYS)[number];

export function isNavKey(key: string): key is NavKey {
	return (NAV_KEYS as readonly string[]).includes(key);
}

/**
 * The tile the arrow keys move to in the status grid, from the tiles' boxes on screen (the grid wraps with the
 * window's width, so "the tile below" is only known from where the tiles are drawn). Left/Right follow reading
 * order across groups; Up/Down go to the nearest row above/below and the tile there closest in x; at an edge the
 * focus stays. Home/End: the first and the last tile.
 */
export function nextTile(boxes: Box[], current: number, key: NavKey): number {
	const n = boxes.length;
	if (n === 0) return -1;
	const at = Math.min(Math.max(current, 0), n - 1);
	switch (key) {
		case 'Home':
			return 0;
		case 'End':
			return n - 1;
		case 'ArrowLeft':
			return Math.max(at - 1, 0);
		case 'ArrowRight':
			return Math.min(at + 1, n - 1);
	}
	const here = boxes[at];
	const cx = here.left + here.width / 2;
	const mid = (b: Box) => b.top + b.height / 2;
	const down = key === 'ArrowDown';
	// Rows are told apart by their vertical centre; a tile counts as another row when its centre is past this
	// tile's edge.
	const candidates = boxes.map((b, i) => ({ b, i })).filter(({ b }) => (down ? mid(b) > here.top + here.height : mid(b) < here.top));
	if (candidates.length === 0) return at;
	const rowMid = down ? Math.min(...candidates.map(({ b }) => mid(b))) : Math.max(...candidates.map(({ b }) => mid(b)));
	const row = candidates.filter(({ b }) => Math.abs(mid(b) - rowMid) < b.height / 2);
	let best = row[0];
	for (const c of row) if (Math.abs(c.b.left + c.b.width / 2 - cx) < Math.abs(best.b.left + best.b.width / 2 - cx)) best = c;
	return best.i;
}
