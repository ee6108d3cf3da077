import { describe, expect, it } from 'vitest';
import { pageOf } from './paging';

const sites = Array.from({ length: 168 }, (_, i) => `site-${i + 1}`);

describe('pageOf', () => {
	it('cuts 16 per page by default', () => {
		const first = pageOf(sites, 1);
		expect(first.items).toEqual(sites.slice(0, 16));
		expect(first).toMatchObject({ page: 1, pageCount: 11, total: 168, perPage: 16, from: 1, to: 16 });
	});

	it('returns a short last page', () => {
		const last = pageOf(sites, 11);
		expect(last.items).toEqual(sites.slice(160));
		expect(last).toMatchObject({ page: 11, from: 161, to: 168 });
	});

	it('clamps out-of-range and odd page numbers', () => {
		expect(pageOf(sites, 99).page).toBe(11);
		expect(pageOf(sites, 0).page).toBe(1);
		expect(pageOf(sites, -3).page).toBe(1);
		expect(pageOf(sites, 2.7).page).toBe(2);
		expect(pageOf(sites, Number.NaN).page).toBe(1);
	});

	it('supports other page sizes (24 in the site console)', () => {
		const p = pageOf(sites, 7, 24);
		expect(p).toMatchObject({ page: 7, pageCount: 7, from: 145, to: 168 });
		expect(p.items).toHaveLength(24);
	});

	it('handles an empty list as one empty page', () => {
		expect(pageOf([], 3)).toEqual({ items: [], page: 1, pageCount: 1, total: 0, perPage: 16, from: 0, to: 0 });
	});

	it('rejects a non-positive page size', () => {
		expect(() => pageOf(sites, 1, 0)).toThrow(RangeError);
		expect(() => pageOf(sites, 1, 1.5)).toThrow(RangeError);
	});

	it('does not mutate its input', () => {
		const copy = [...sites];
		pageOf(sites, 3);
		expect(sites).toEqual(copy);
	});
});
