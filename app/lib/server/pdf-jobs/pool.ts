/**
 * The PDF pool: the project's worker pool (../worker-pool/pool.ts) over the PDF worker (./worker.ts), for CPU-heavy
 * work on untrusted PDFs (signature verification, upload checks) and the key jobs (./tasks.ts), so that no file
 * can hold the event loop that serves votes and health checks (issue 19). The PKCS#11 token calls run the same
 * worker in a pool of their own (./tokens.ts).
 */
import path from 'node:path';
import { onShutdown } from '../lifecycle';
import { WorkerPool, type WorkerEntry } from '../worker-pool/pool';
import type { tasks } from './tasks';

/** The PDF worker's tasks, by name (./tasks.ts). */
export type PdfTasks = typeof tasks;

export const PDF_WORKER: WorkerEntry = { source: path.join('app', 'lib', 'server', 'pdf-jobs', 'worker.ts'), folder: 'nghi-truong-so-pdf-jobs', label: 'PDF' };

function envInt(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
	return n;
}

let shared: WorkerPool<PdfTasks> | null = null;

/**
 * The process's pool: PDF_WORKERS, PDF_JOB_TIMEOUT_MS and PDF_JOB_QUEUE override the defaults (read once, at
 * first use). Closed at shutdown after the requests in flight.
 */
export function pdfJobs(): WorkerPool<PdfTasks> {
	if (!shared || shared.isClosed) {
		const workers = envInt('PDF_WORKERS');
		shared = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: workers === 0 ? undefined : workers, timeoutMs: envInt('PDF_JOB_TIMEOUT_MS'), maxQueue: envInt('PDF_JOB_QUEUE') });
		const pool = shared;
		onShutdown(() => pool.close());
	}
	return shared;
}
