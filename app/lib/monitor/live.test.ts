import { describe, expect, it, vi } from 'vitest';
import { LiveCouncil, LiveMonitor } from './live.svelte';
import { liveOf, testRow } from './test-rows';

vi.mock('$lib/trpc', () => ({ trpc: {} }));

describe('the dashboard kept live', () => {
	it('replaces the changed councils only and marks them', () => {
		const m = new LiveMonitor([testRow('26740'), testRow('26743')], 'a');
		m.apply({
			version: 2,
			full: false,
			rows: [testRow('26743', { status: 'voting', live: liveOf('voting', 3, 20) })],
			at: 'b'
		});
		expect(m.rows.map((r) => r.status)).toEqual(['idle', 'voting']);
		expect(m.changed).toEqual(['id-26743']);
		expect(m.at).toBe('b');
	});
});

describe('one council kept live on its drill-down', () => {
	it('takes its own row from a batch and tells the page when its state moved', () => {
		const moved = vi.fn();
		const c = new LiveCouncil(testRow('26743'), moved);
		c.apply({
			version: 1,
			full: true,
			rows: [testRow('26740', { status: 'voting', live: liveOf('voting') })],
			at: ''
		});
		expect(c.row.status).toBe('idle');
		c.apply({
			version: 2,
			full: false,
			rows: [testRow('26743', { status: 'voting', live: liveOf('voting', 1, 20) })],
			at: ''
		});
		expect(c.row.live?.vote?.voted).toBe(1);
		expect(moved).toHaveBeenCalledTimes(1);
		// A ballot moves the count, not the state: nothing to re-read.
		c.apply({
			version: 3,
			full: false,
			rows: [testRow('26743', { status: 'voting', live: liveOf('voting', 2, 20) })],
			at: ''
		});
		expect(c.row.live?.vote?.voted).toBe(2);
		expect(moved).toHaveBeenCalledTimes(1);
	});
});
