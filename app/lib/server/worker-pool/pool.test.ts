import { describe, expect, it } from 'vitest';
import { PDF_WORKER, type PdfTasks } from '../pdf-jobs/pool';
import { WorkerJobError, WorkerPool } from './pool';

/** Samples the event loop every 10 ms while `work` runs: the longest gap between two samples. */
async function longestStall<T>(work: Promise<T>): Promise<{ value: T | unknown; stallMs: number }> {
	let last = performance.now();
	let stallMs = 0;
	const probe = setInterval(() => {
		const now = performance.now();
		stallMs = Math.max(stallMs, now - last);
		last = now;
	}, 10);
	const value = await work.catch((err: unknown) => err);
	clearInterval(probe);
	return { value, stallMs };
}

// The PDF worker's `spin` task (a synchronous loop) stands for any job that will not end by itself.
describe('worker pool', () => {
	it('terminates a job past its time budget without stalling the event loop, and the next job runs on a new worker', async () => {
		const pool = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: 1, timeoutMs: 1000, maxQueue: 2 });
		try {
			// The worker is compiled and started first: the budget counts from a ready worker receiving the job.
			expect(await pool.run('spin', { ms: 1 })).toEqual({ spunMs: 1 });
			const started = performance.now();
			const { value, stallMs } = await longestStall(pool.run('spin', { ms: 120_000 }));
			const elapsed = performance.now() - started;
			expect(value).toBeInstanceOf(WorkerJobError);
			expect((value as WorkerJobError).code).toBe('TIMEOUT');
			expect(elapsed).toBeGreaterThanOrEqual(990);
			expect(elapsed).toBeLessThan(5000);
			// On the main thread the spin would have stalled it for the whole second.
			expect(stallMs).toBeLessThan(500);
			expect(pool.load).toEqual({ running: 0, waiting: 0, workers: 0 });
			expect(await pool.run('spin', { ms: 5 })).toEqual({ spunMs: 5 });
			expect(pool.load).toEqual({ running: 0, waiting: 0, workers: 1 });
		} finally {
			await pool.close();
		}
	});

	it('runs other jobs on the other worker while one is stuck', async () => {
		const pool = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: 2, timeoutMs: 3000, maxQueue: 2 });
		try {
			const stuck = pool.run('spin', { ms: 120_000 }).catch((err: WorkerJobError) => err);
			const quick = await pool.run('spin', { ms: 5 });
			expect(quick).toEqual({ spunMs: 5 });
			expect(pool.load.running).toBe(1);
			expect(((await stuck) as WorkerJobError).code).toBe('TIMEOUT');
		} finally {
			await pool.close();
		}
	});

	it('refuses at once with BUSY when every worker is busy and the queue is full; close refuses the rest', async () => {
		const pool = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: 1, timeoutMs: 60_000, maxQueue: 1 });
		const running = pool.run('spin', { ms: 60_000 }).catch((err: WorkerJobError) => err.code);
		const waiting = pool.run('spin', { ms: 1 }).catch((err: WorkerJobError) => err.code);
		const started = performance.now();
		const refused = await pool.run('spin', { ms: 1 }).catch((err: WorkerJobError) => err);
		expect(performance.now() - started).toBeLessThan(100);
		expect(refused).toBeInstanceOf(WorkerJobError);
		expect((refused as WorkerJobError).code).toBe('BUSY');
		await pool.close();
		expect(await running).toBe('CLOSED');
		expect(await waiting).toBe('CLOSED');
		expect(((await pool.run('spin', { ms: 1 }).catch((err: WorkerJobError) => err)) as WorkerJobError).code).toBe('CLOSED');
	});
});
