import { describe, expect, it } from 'vitest';
import { orderQueue, remaining, reorder, speakingElapsed, type FloorRequest } from './floor-queue';

const req = (
	id: string,
	kind: FloorRequest['kind'],
	requestedAt: number,
	position: number | null = null
): FloorRequest => ({
	id,
	delegateId: `d-${id}`,
	kind,
	requestedAt,
	position
});
const ids = (rs: FloorRequest[]) => rs.map((r) => r.id);

describe('orderQueue', () => {
	it('first come, first served by default', () => {
		expect(
			ids(orderQueue([req('b', 'speech', 20), req('a', 'question', 10), req('c', 'speech', 30)]))
		).toEqual(['a', 'b', 'c']);
	});

	it('points of order jump the queue, among themselves by time, even ahead of chair-placed requests', () => {
		const q = [
			req('s1', 'speech', 1, 1),
			req('p2', 'point_of_order', 50),
			req('s2', 'speech', 2, 2),
			req('p1', 'point_of_order', 40)
		];
		expect(ids(orderQueue(q))).toEqual(['p1', 'p2', 's1', 's2']);
	});

	it('chair-placed requests come before unplaced ones, in the chair’s order', () => {
		const q = [req('early', 'speech', 1), req('x', 'speech', 9, 2), req('y', 'question', 8, 1)];
		expect(ids(orderQueue(q))).toEqual(['y', 'x', 'early']);
	});

	it('a position on a point of order is ignored', () => {
		expect(
			ids(orderQueue([req('p1', 'point_of_order', 10, 5), req('p2', 'point_of_order', 20, 1)]))
		).toEqual(['p1', 'p2']);
	});

	it('is a total order (same queue on every screen) and does not mutate its input', () => {
		const q = [req('b', 'speech', 10), req('a', 'speech', 10)];
		expect(ids(orderQueue(q))).toEqual(['a', 'b']);
		expect(ids(q)).toEqual(['b', 'a']);
	});
});

describe('reorder', () => {
	const q = [
		req('p', 'point_of_order', 99),
		req('a', 'speech', 1),
		req('b', 'speech', 2),
		req('c', 'question', 3)
	];

	it('moves a request and numbers everyone else 1…n', () => {
		const r = reorder(q, 'c', 1); // to the top, right after the point of order
		expect(ids(r)).toEqual(['p', 'c', 'a', 'b']);
		expect(r.map((x) => x.position)).toEqual([null, 1, 2, 3]);
		expect(ids(orderQueue(r))).toEqual(['p', 'c', 'a', 'b']); // the positions reproduce the order
	});

	it('moves down, and clamps past the end and into the points-of-order block', () => {
		expect(ids(reorder(q, 'a', 2))).toEqual(['p', 'b', 'a', 'c']);
		expect(ids(reorder(q, 'a', 99))).toEqual(['p', 'b', 'c', 'a']);
		expect(ids(reorder(q, 'c', 0))).toEqual(['p', 'c', 'a', 'b']);
		expect(ids(reorder(q, 'b', 2))).toEqual(['p', 'a', 'b', 'c']);
	});

	it('does not change its input', () => {
		reorder(q, 'c', 1);
		expect(q.map((x) => x.position)).toEqual([null, null, null, null]);
	});

	it('refuses to move a point of order, an unknown id and a fractional index', () => {
		expect(() => reorder(q, 'p', 3)).toThrow(
			expect.objectContaining({ code: 'FLOOR_POINT_OF_ORDER_FIXED' })
		);
		expect(() => reorder(q, 'zz', 1)).toThrow(
			expect.objectContaining({ code: 'FLOOR_REQUEST_NOT_FOUND' })
		);
		expect(() => reorder(q, 'a', 1.5)).toThrow(expect.objectContaining({ code: 'INVALID_NUMBER' }));
	});
});

describe('speaking timer', () => {
	const t0 = 1_700_000_000_000;
	it('whole seconds elapsed, never negative', () => {
		expect(speakingElapsed(t0, t0)).toBe(0);
		expect(speakingElapsed(t0, t0 + 999)).toBe(0);
		expect(speakingElapsed(t0, t0 + 1000)).toBe(1);
		expect(speakingElapsed(t0, t0 + 125_500)).toBe(125);
		expect(speakingElapsed(t0, t0 - 3000)).toBe(0); // client clock behind the server
	});

	it('remaining counts down to 0 and then goes negative for an overrun', () => {
		expect(remaining(180, t0, t0)).toBe(180);
		expect(remaining(180, t0, t0 + 179_999)).toBe(1);
		expect(remaining(180, t0, t0 + 180_000)).toBe(0);
		expect(remaining(180, t0, t0 + 187_000)).toBe(-7);
	});

	it('refuses non-integer instants', () => {
		expect(() => speakingElapsed(t0 + 0.5, t0)).toThrow(
			expect.objectContaining({ code: 'INVALID_NUMBER' })
		);
		expect(() => remaining(-1, t0, t0)).toThrow(
			expect.objectContaining({ code: 'INVALID_NUMBER' })
		);
	});
});
