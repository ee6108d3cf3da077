/**
 * The project's pool of worker threads, for CPU-heavy work on untrusted input, so that no input can hold the event
 * loop that serves votes and health checks (issue 19: a crafted PDF made verification run 17 s on the main thread,
 * and `/api/health` waited as long). Each use is a pool of its own over its own worker entry: the PDF jobs
 * (signature verification, upload checks, key jobs: ../pdf-jobs/pool.ts), the PKCS#11 token calls
 * (../pdf-jobs/tokens.ts) and the secret ballot's proof checks (../secret-ballot/pool.ts).
 *
 * Bounds: a few workers (from the core count), a time budget per job (the worker is terminated and replaced
 * when it overruns), a heap limit per worker (V8 `resourceLimits`), and a bounded queue (a full queue refuses
 * at once rather than letting waits pile up).
 *
 * How the worker's code is found: each pool names its entry (a WorkerEntry, e.g. ../pdf-jobs/worker.ts), one of
 * the built entries (scripts/built-entries.mjs), compiled by `vite build` beside the build the launcher serves, or
 * on first use under Vitest and `npm run dev` (../worker-entry.ts says why a worker needs its own plain module).
 * The entry answers through ./serve-tasks.ts.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { log } from '../log';
import { workerEntry } from '../worker-entry';

export type WorkerJobErrorCode =
	/** The job overran its time budget; its worker was terminated. */
	| 'TIMEOUT'
	/** All workers are busy and the queue is full. */
	| 'BUSY'
	/** The worker died during the job (its heap limit, most likely). */
	| 'CRASHED'
	/** The job threw, or no worker could be started. */
	| 'FAILED'
	/** The pool was closed. */
	| 'CLOSED';

export class WorkerJobError extends Error {
	constructor(
		readonly code: WorkerJobErrorCode,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'WorkerJobError';
	}
}

export interface WorkerPoolOptions {
	/** Worker threads (default: the cores less one for the event loop, at least 1, at most 2). */
	size?: number;
	/** Time budget of one job, from the moment a ready worker receives it (default 10 s). */
	timeoutMs?: number;
	/** Jobs that may wait for a worker (default 8); one more is refused with BUSY. */
	maxQueue?: number;
	/** V8 old-generation heap of each worker, in MB (default 384). */
	maxOldGenerationSizeMb?: number;
	/** The worker to run: its entry, cache folder and name (below). */
	worker: WorkerEntry;
}

interface Job {
	task: string;
	input: unknown;
	resolve: (value: unknown) => void;
	reject: (err: WorkerJobError) => void;
}

interface Slot {
	worker: Worker;
	ready: boolean;
	job: Job | null;
	timer: NodeJS.Timeout | null;
}

type WorkerMessage = { type: 'ready' } | { type: 'result'; ok: true; value: unknown } | { type: 'result'; ok: false; message: string };

/**
 * The worker a pool runs: its entry (relative to the project, compiled as below), the cache folder of its compiled
 * file, and its name in messages. Each pool names its own: the PDF worker (PDF_WORKER in ../pdf-jobs/pool.ts, which
 * the token pool runs too), the secret-ballot checks' (SECRET_BALLOT_WORKER in ../secret-ballot/pool.ts).
 */
export interface WorkerEntry {
	source: string;
	folder: string;
	label: string;
}

/** The functions a worker entry serves (see ./serve-tasks.ts), by task name. */
export type TaskMap = Record<string, (input: never) => unknown>;

const compiled = new Map<string, Promise<string>>();

/** The worker's compiled file: from the build the launcher serves, else compiled on first use (../worker-entry.ts). */
function compileWorker(worker: WorkerEntry): Promise<string> {
	return workerEntry(worker.source, worker.folder);
}

/** The compiled worker, once per process (again if the file has gone, e.g. the cache was cleared). */
async function workerFile(worker: WorkerEntry): Promise<string> {
	const known = compiled.get(worker.source);
	if (known) {
		const file = await known.catch(() => null);
		if (file && existsSync(file)) return file;
	}
	const next = compileWorker(worker);
	compiled.set(worker.source, next);
	return next;
}

export function defaultPoolSize(): number {
	return Math.min(2, Math.max(1, os.availableParallelism() - 1));
}

export class WorkerPool<T extends TaskMap> {
	readonly size: number;
	readonly timeoutMs: number;
	readonly maxQueue: number;
	private readonly memoryMb: number;
	private readonly entry: WorkerEntry;
	private readonly label: string;
	private readonly slots = new Set<Slot>();
	private readonly queue: Job[] = [];
	private spawning = 0;
	private closed = false;

	constructor(opts: WorkerPoolOptions) {
		this.size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
		this.timeoutMs = opts.timeoutMs ?? 10_000;
		this.maxQueue = Math.max(0, Math.floor(opts.maxQueue ?? 8));
		this.memoryMb = opts.maxOldGenerationSizeMb ?? 384;
		this.entry = opts.worker;
		this.label = this.entry.label;
	}

	/** Runs a task in a worker. Rejects with a WorkerJobError: TIMEOUT, BUSY, CRASHED, FAILED or CLOSED. */
	run<K extends keyof T & string>(task: K, input: Parameters<T[K]>[0]): Promise<Awaited<ReturnType<T[K]>>> {
		return new Promise<Awaited<ReturnType<T[K]>>>((resolve, reject) => {
			if (this.closed) return reject(new WorkerJobError('CLOSED', `the ${this.label} worker pool is closed`));
			const running = [...this.slots].filter((s) => s.job).length;
			if (running + this.queue.length >= this.size + this.maxQueue) {
				return reject(new WorkerJobError('BUSY', `${running} ${this.label} jobs running and ${this.queue.length} waiting`));
			}
			this.queue.push({ task, input, resolve: resolve as (value: unknown) => void, reject });
			this.dispatch();
		});
	}

	get isClosed(): boolean {
		return this.closed;
	}

	/** Jobs running and waiting (for tests and logs). */
	get load(): { running: number; waiting: number; workers: number } {
		return { running: [...this.slots].filter((s) => s.job).length, waiting: this.queue.length, workers: this.slots.size };
	}

	/** Terminates the workers; jobs still running or waiting are refused with CLOSED. */
	async close(): Promise<void> {
		this.closed = true;
		for (const job of this.queue.splice(0)) job.reject(new WorkerJobError('CLOSED', `the ${this.label} worker pool is closed`));
		const slots = [...this.slots];
		this.slots.clear();
		await Promise.all(
			slots.map((slot) => {
				if (slot.timer) clearTimeout(slot.timer);
				slot.job?.reject(new WorkerJobError('CLOSED', `the ${this.label} worker pool is closed`));
				slot.job = null;
				return slot.worker.terminate();
			})
		);
	}

	private dispatch(): void {
		if (this.closed) return;
		for (const slot of this.slots) {
			if (this.queue.length === 0) return;
			if (slot.ready && !slot.job) this.start(slot, this.queue.shift()!);
		}
		// Jobs still waiting: start workers up to the size, one per job not already covered by a starting one.
		const starting = this.spawning + [...this.slots].filter((s) => !s.ready).length;
		let missing = Math.min(this.queue.length - starting, this.size - this.slots.size - this.spawning);
		for (; missing > 0; missing--) void this.spawn();
	}

	private start(slot: Slot, job: Job): void {
		slot.job = job;
		slot.worker.ref();
		slot.timer = setTimeout(() => {
			// A job that overran is stopped the only way a synchronous loop can be: the thread goes.
			this.slots.delete(slot);
			slot.job = null;
			job.reject(new WorkerJobError('TIMEOUT', `the ${job.task} job ran over ${this.timeoutMs} ms`));
			void slot.worker.terminate();
			this.dispatch();
		}, this.timeoutMs);
		slot.worker.postMessage({ task: job.task, input: job.input });
	}

	private async spawn(): Promise<void> {
		this.spawning++;
		let file: string;
		try {
			file = await workerFile(this.entry);
		} catch (err) {
			this.spawning--;
			log.error(`${this.label} worker could not be compiled`, { err });
			for (const job of this.queue.splice(0)) job.reject(new WorkerJobError('FAILED', `no ${this.label} worker could be started`, { cause: err }));
			return;
		}
		this.spawning--;
		if (this.closed) return;
		const worker = new Worker(file, {
			resourceLimits: { maxOldGenerationSizeMb: this.memoryMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
			// Worker output goes to the process's own stdout/stderr (the app's log).
			stdout: false,
			stderr: false
		});
		const slot: Slot = { worker, ready: false, job: null, timer: null };
		this.slots.add(slot);
		worker.on('message', (msg: WorkerMessage) => this.onMessage(slot, msg));
		worker.on('error', (err) => this.onDeath(slot, err));
		worker.on('exit', (code) => this.onDeath(slot, new Error(`${this.label} worker exited with code ${code}`)));
	}

	private onMessage(slot: Slot, msg: WorkerMessage): void {
		if (!this.slots.has(slot)) return;
		if (msg.type === 'ready') {
			slot.ready = true;
			// An idle worker must not keep the process alive (Vitest, the CLI, a shutdown).
			slot.worker.unref();
			this.dispatch();
			return;
		}
		const job = slot.job;
		if (slot.timer) clearTimeout(slot.timer);
		slot.timer = null;
		slot.job = null;
		slot.worker.unref();
		if (job) {
			if (msg.ok) job.resolve(msg.value);
			else job.reject(new WorkerJobError('FAILED', msg.message));
		}
		this.dispatch();
	}

	private onDeath(slot: Slot, err: Error): void {
		if (!this.slots.has(slot)) return; // terminated on purpose (time budget, close)
		this.slots.delete(slot);
		if (slot.timer) clearTimeout(slot.timer);
		const job = slot.job;
		slot.job = null;
		if (job) job.reject(new WorkerJobError('CRASHED', `the ${this.label} worker died during a ${job.task} job: ${err.message}`, { cause: err }));
		else if (!slot.ready) {
			// Died while loading: starting another for the same jobs would only loop.
			log.error(`${this.label} worker failed to start`, { err });
			for (const waiting of this.queue.splice(0)) waiting.reject(new WorkerJobError('FAILED', `no ${this.label} worker could be started`, { cause: err }));
		}
		void slot.worker.terminate();
		this.dispatch();
	}
}
