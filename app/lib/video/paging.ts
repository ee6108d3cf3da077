// Pure pagination for video grids and the site console: only the current page's tiles are
// rendered and subscribed, so 168 sites never mean 168 decoded video streams.
export interface Page<T> {
	items: T[];
	/** 1-based, clamped into range */
	page: number;
	/** at least 1, so "page 1/1" reads naturally for an empty list */
	pageCount: number;
	total: number;
	perPage: number;
	/** 1-based position of the first and last item shown (0, 0 when empty) */
	from: number;
	to: number;
}

export const TILES_PER_PAGE = 16;

export function pageOf<T>(items: readonly T[], page: number, perPage = TILES_PER_PAGE): Page<T> {
	if (!Number.isInteger(perPage) || perPage < 1) throw new RangeError('perPage must be a positive integer');
	const total = items.length;
	const pageCount = Math.max(1, Math.ceil(total / perPage));
	const current = Math.min(pageCount, Math.max(1, Number.isFinite(page) ? Math.floor(page) : 1));
	const start = (current - 1) * perPage;
	const slice = items.slice(start, start + perPage);
	return {
		items: slice,
		page: current,
		pageCount,
		total,
		perPage,
		from: slice.length ? start + 1 : 0,
		to: start + slice.length
	};
}
