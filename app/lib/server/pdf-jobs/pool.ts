/**
 * A small pool of worker threads for CPU-heavy work on untrusted PDFs (signature verification, upload checks),
 * so that no file can hold the event loop that serves votes and health checks (issue 19: a crafted PDF made
 * verification run 17 s on the main thread, and `/api/health` waited as long).
 *
 * Bounds: a few workers (from the core count), a time budget per job (the worker is terminated and replaced
 * when it overruns), a heap limit per worker (V8 `resourceLimits`), and a bounded queue (a full queue refuses
 * at once rather than letting waits pile up).
 *
 * How the worker's code is found. The app runs three ways: the production build (Vite bundles the server into
 * build/server/chunks, where no worker entry would survive adapter-node's second bundling: it follows imports,
 * not `new URL(…, import.meta.url)`, and Vite compiles no `.ts` worker for SSR), Vitest (source modules through
 * Vite's transformer, which a worker thread does not have), and `tsx`. Instead of three mechanisms there is one:
 * like scripts/start.mjs does for the launcher, ./worker.ts is bundled with esbuild (a runtime dependency) on
 * first use into node_modules/.cache, named by its content and written atomically, and that plain module is
 * what every worker runs, whichever way the app itself was loaded. Packages stay external (resolved from the
 * project's node_modules). The source tree is present wherever the app runs: the launcher compiles
 * scripts/start.ts the same way and rebuilds a stale build from it.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { log } from '../log';
import { onShutdown } from '../lifecycle';
import type { TaskInput, TaskName, TaskOutput } from './tasks';

export type PdfJobErrorCode =
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

export class PdfJobError extends Error {
	constructor(
		readonly code: PdfJobErrorCode,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'PdfJobError';
	}
}

export interface PdfJobPoolOptions {
	/** Worker threads (default: the cores less one for the event loop, at least 1, at most 2). */
	size?: number;
	/** Time budget of one job, from the moment a ready worker receives it (default 10 s). */
	timeoutMs?: number;
	/** Jobs that may wait for a worker (default 8); one more is refused with BUSY. */
	maxQueue?: number;
	/** V8 old-generation heap of each worker, in MB (default 384). */
	maxOldGenerationSizeMb?: number;
}

interface Job {
	task: TaskName;
	input: unknown;
	resolve: (value: unknown) => void;
	reject: (err: PdfJobError) => void;
}

interface Slot {
	worker: Worker;
	ready: boolean;
	job: Job | null;
	timer: NodeJS.Timeout | null;
}

type WorkerMessage = { type: 'ready' } | { type: 'result'; ok: true; value: unknown } | { type: 'result'; ok: false; message: string };

const WORKER_SOURCE = path.join('app', 'lib', 'server', 'pdf-jobs', 'worker.ts');

let compiled: Promise<string> | null = null;

/** The project: the launcher says where it is (scripts/start.mjs), otherwise the working directory (Vitest, tsx). */
function projectRoot(): string {
	return process.env.NTS_ROOT ?? process.cwd();
}

async function compileWorker(): Promise<string> {
	const root = projectRoot();
	const entry = path.join(root, WORKER_SOURCE);
	if (!existsSync(entry)) throw new Error(`PDF worker source not found at ${entry} (set NTS_ROOT to the project folder)`);
	// Loaded on first use (esbuild is only needed then). Its own folder: old versions in a folder are removed.
	const { compileEntry } = await import('../../../../scripts/compile-entry.mjs');
	return compileEntry({ root, entry, folder: 'nghi-truong-so-pdf-jobs', prefix: 'worker' });
}

/** The compiled worker, once per process (again if the file has gone, e.g. the cache was cleared). */
async function workerFile(): Promise<string> {
	if (compiled) {
		const file = await compiled.catch(() => null);
		if (file && existsSync(file)) return file;
	}
	compiled = compileWorker();
	return compiled;
}

export function defaultPoolSize(): number {
	return Math.min(2, Math.max(1, os.availableParallelism() - 1));
}

export class PdfJobPool {
	readonly size: number;
	readonly timeoutMs: number;
	readonly maxQueue: number;
	private readonly memoryMb: number;
	private readonly slots = new Set<Slot>();
	private readonly queue: Job[] = [];
	private spawning = 0;
	private closed = false;

	constructor(opts: PdfJobPoolOptions = {}) {
		this.size = Math.max(1, Math.floor(opts.size ?? defaultPoolSize()));
		this.timeoutMs = opts.timeoutMs ?? 10_000;
		this.maxQueue = Math.max(0, Math.floor(opts.maxQueue ?? 8));
		this.memoryMb = opts.maxOldGenerationSizeMb ?? 384;
	}

	/** Runs a task in a worker. Rejects with a PdfJobError: TIMEOUT, BUSY, CRASHED, FAILED or CLOSED. */
	run<K extends TaskName>(task: K, input: TaskInput<K>): Promise<TaskOutput<K>> {
		return new Promise<TaskOutput<K>>((resolve, reject) => {
			if (this.closed) return reject(new PdfJobError('CLOSED', 'the PDF worker pool is closed'));
			const running = [...this.slots].filter((s) => s.job).length;
			if (running + this.queue.length >= this.size + this.maxQueue) {
				return reject(new PdfJobError('BUSY', `${running} PDF jobs running and ${this.queue.length} waiting`));
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
		for (const job of this.queue.splice(0)) job.reject(new PdfJobError('CLOSED', 'the PDF worker pool is closed'));
		const slots = [...this.slots];
		this.slots.clear();
		await Promise.all(
			slots.map((slot) => {
				if (slot.timer) clearTimeout(slot.timer);
				slot.job?.reject(new PdfJobError('CLOSED', 'the PDF worker pool is closed'));
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
			job.reject(new PdfJobError('TIMEOUT', `the ${job.task} job ran over ${this.timeoutMs} ms`));
			void slot.worker.terminate();
			this.dispatch();
		}, this.timeoutMs);
		slot.worker.postMessage({ task: job.task, input: job.input });
	}

	private async spawn(): Promise<void> {
		this.spawning++;
		let file: string;
		try {
			file = await workerFile();
		} catch (err) {
			this.spawning--;
			log.error('PDF worker could not be compiled', { err });
			for (const job of this.queue.splice(0)) job.reject(new PdfJobError('FAILED', 'no PDF worker could be started', { cause: err }));
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
		worker.on('exit', (code) => this.onDeath(slot, new Error(`PDF worker exited with code ${code}`)));
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
			else job.reject(new PdfJobError('FAILED', msg.message));
		}
		this.dispatch();
	}

	private onDeath(slot: Slot, err: Error): void {
		if (!this.slots.has(slot)) return; // terminated on purpose (time budget, close)
		this.slots.delete(slot);
		if (slot.timer) clearTimeout(slot.timer);
		const job = slot.job;
		slot.job = null;
		if (job) job.reject(new PdfJobError('CRASHED', `the PDF worker died during a ${job.task} job: ${err.message}`, { cause: err }));
		else if (!slot.ready) {
			// Died while loading: starting another for the same jobs would only loop.
			log.error('PDF worker failed to start', { err });
			for (const waiting of this.queue.splice(0)) waiting.reject(new PdfJobError('FAILED', 'no PDF worker could be started', { cause: err }));
		}
		void slot.worker.terminate();
		this.dispatch();
	}
}

function envInt(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
	return n;
}

let shared: PdfJobPool | null = null;

/**
 * The process's pool: PDF_WORKERS, PDF_JOB_TIMEOUT_MS and PDF_JOB_QUEUE override the defaults (read once, at
 * first use). Closed at shutdown after the requests in flight.
 */
export function pdfJobs(): PdfJobPool {
	if (!shared || shared.isClosed) {
		const workers = envInt('PDF_WORKERS');
		shared = new PdfJobPool({ size: workers === 0 ? undefined : workers, timeoutMs: envInt('PDF_JOB_TIMEOUT_MS'), maxQueue: envInt('PDF_JOB_QUEUE') });
		const pool = shared;
		onShutdown(() => pool.close());
	}
	return shared;
}
