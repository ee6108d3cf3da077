import { describe, expect, it } from 'vitest';
import { applyFilter, matchesTile, type MonitorFilter } from './filter';
import { liveOf, testRow } from './test-rows';

const none: MonitorFilter = {
	q: '',
	kind: '',
	province: '',
	status: '',
	tile: '',
	sort: 'live'
};
const codes = (rows: { code: string }[]) => rows.map((r) => r.code);

const rows = [
	testRow('26734'),
	testRow('26737', { status: 'convened', live: liveOf('convened') }),
	testRow('city'),
	testRow('26740', { status: 'in_session', live: liveOf('in_session') }),
	testRow('26743', { status: 'voting', live: liveOf('voting', 14, 21) }),
	testRow('25747', {
		tasks: { onTime: 0, overdue: 2, done: 0 },
		petitions: { total: 3, pending: 1, answered: 2 }
	}),
	testRow('26746', {
		sittings: { today: 1, term: 4, closed: 3, next: null },
		resolutions: { adopted: 0, signed: 0, issued: 5 }
	})
];

describe('the dashboard order', () => {
	it('puts live councils first by default: voting, in session, convened, then the rest (city first, by code)', () => {
		expect(codes(applyFilter(rows, none))).toEqual(['26743', '26740', '26737', 'city', '25747', '26734', '26746']);
	});

	it('sorts by official code on request, the city council first', () => {
		expect(codes(applyFilter(rows, { ...none, sort: 'code' }))).toEqual(['city', '25747', '26734', '26737', '26740', '26743', '26746']);
	});

	it('does not reorder the rows it was given', () => {
		const before = codes(rows);
		applyFilter(rows, none);
		expect(codes(rows)).toEqual(before);
	});
});

describe('the summary tiles filter', () => {
	it.each([
		['live', ['26743', '26740']],
		['voting', ['26743']],
		['today', ['26746']],
		['term', ['26746']],
		['issued', ['26746']],
		['overdue', ['25747']],
		['petitions', ['25747']]
	] as const)('%s lets through %j', (tile, expected) => {
		expect(codes(applyFilter(rows, { ...none, tile }))).toEqual(expected);
	});

	it('no tile pressed lets every council through', () => {
		expect(rows.every((r) => matchesTile(r, ''))).toBe(true);
		expect(applyFilter(rows, none)).toHaveLength(rows.length);
	});

	it('combines with the search and the other filters', () => {
		expect(codes(applyFilter(rows, { ...none, tile: 'live', q: '26740' }))).toEqual(['26740']);
		expect(codes(applyFilter(rows, { ...none, tile: 'live', status: 'convened' }))).toEqual([]);
		expect(codes(applyFilter(rows, { ...none, status: 'live' }))).toEqual(['26743', '26740']);
	});
});
