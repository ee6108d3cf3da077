import { describe, expect, it } from 'vitest';
import { SlotsFullError, WorkSlots } from './work-slots';

/** A task that runs until released, so the test decides when each one ends. */
function heldTask() {
	let release!: () => void;
	let markStarted!: () => void;
	const done = new Promise<void>((resolve) => (release = resolve));
	const whenStarted = new Promise<void>((resolve) => (markStarted = resolve));
	let started = false;
	return {
		run: async () => {
			started = true;
			markStarted();
			await done;
		},
		release,
		started: () => started,
		whenStarted
	};
}

describe('WorkSlots', () => {
	it('runs at most `limit` tasks at once, queues `maxWaiting` more in order, and refuses the rest at once', async () => {
		const slots = new WorkSlots(2, 1);
		const tasks = [heldTask(), heldTask(), heldTask()];
		const results = tasks.map((t) => slots.run(t.run));
		await expect(slots.run(async () => 'extra')).rejects.toBeInstanceOf(SlotsFullError);
		expect(tasks.map((t) => t.started())).toEqual([true, true, false]);
		expect(slots.load).toEqual({ running: 2, waiting: 1 });

		tasks[0].release();
		await tasks[2].whenStarted; // the freed slot went to the task waiting in line
		expect(slots.load).toEqual({ running: 2, waiting: 0 });

		tasks[1].release();
		tasks[2].release();
		await Promise.all(results);
		expect(slots.load).toEqual({ running: 0, waiting: 0 });
	});

	it('frees the slot of a task that fails', async () => {
		const slots = new WorkSlots(1, 0);
		await expect(slots.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
		await expect(slots.run(async () => 'next')).resolves.toBe('next');
	});
});
