import { describe, expect, it } from 'vitest';
import { nextTile, type Box } from './roving';

// Two groups as the grid draws them: a row of three tiles, then (a heading lower) a row of two and a row of one.
const tile = (left: number, top: number): Box => ({
	left,
	top,
	width: 100,
	height: 40
});
const boxes = [tile(0, 0), tile(110, 0), tile(220, 0), tile(0, 100), tile(110, 100), tile(0, 150)];

describe('nextTile: arrow keys in the status grid', () => {
	it('moves left and right in reading order, across groups, and stops at the ends', () => {
		expect(nextTile(boxes, 0, 'ArrowRight')).toBe(1);
		expect(nextTile(boxes, 2, 'ArrowRight')).toBe(3);
		expect(nextTile(boxes, 3, 'ArrowLeft')).toBe(2);
		expect(nextTile(boxes, 0, 'ArrowLeft')).toBe(0);
		expect(nextTile(boxes, 5, 'ArrowRight')).toBe(5);
	});

	it('moves down and up to the closest tile of the next row', () => {
		expect(nextTile(boxes, 1, 'ArrowDown')).toBe(4);
		expect(nextTile(boxes, 2, 'ArrowDown')).toBe(4); // no tile under it: the nearest in x
		expect(nextTile(boxes, 4, 'ArrowDown')).toBe(5);
		expect(nextTile(boxes, 5, 'ArrowUp')).toBe(3);
		expect(nextTile(boxes, 4, 'ArrowUp')).toBe(1);
		expect(nextTile(boxes, 1, 'ArrowUp')).toBe(1);
		expect(nextTile(boxes, 5, 'ArrowDown')).toBe(5);
	});

	it('goes to the first and the last tile with Home and End', () => {
		expect(nextTile(boxes, 3, 'Home')).toBe(0);
		expect(nextTile(boxes, 3, 'End')).toBe(5);
		expect(nextTile([], 0, 'End')).toBe(-1);
	});
});
