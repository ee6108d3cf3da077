// Secret ballots encrypted ahead of a benchmark's window (each delegate's browser does this before sending), spread
// over worker threads: 5,040 ballots at ~30 ms of CPU each are minutes on one core.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Ballot } from '../../app/lib/secret-ballot/ballot';

/** A yes/no/abstain ballot to encrypt: `choice` 0 yes, 1 no, 2 abstain; `voterId` the delegate's user id. */
export interface BallotToEncrypt {
	publicKey: string;
	voteId: string;
	voterId: string;
	choice: number;
}

const BATCH = 20;

/**
 * Under tsx a worker's entry must register tsx itself (the `--import` hooks of the main thread do not reach a
 * worker's first module), so each worker starts from this line, which then loads encrypt-worker.ts.
 */
function tsWorker(file: URL): Worker {
	const tsx = JSON.stringify(import.meta.resolve('tsx/esm/api'));
	return new Worker(`import(${tsx}).then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); })`, { eval: true });
}

/** The ballots in the order asked, on `threads` worker threads (default: one per core); `onProgress` after each batch. */
export async function encryptBallots(ballots: BallotToEncrypt[], opts: { threads?: number; onProgress?: (done: number) => void } = {}): Promise<Ballot[]> {
	const threads = Math.max(1, Math.min(opts.threads ?? os.availableParallelism(), Math.ceil(ballots.length / BATCH)));
	const out: Ballot[] = new Array(ballots.length);
	let next = 0;
	let done = 0;
	const workers = Array.from({ length: threads }, () => tsWorker(new URL('./encrypt-worker.ts', import.meta.url)));
	try {
		await Promise.all(
			workers.map(
				(worker) =>
					new Promise<void>((resolve, reject) => {
						let from = 0;
						const send = () => {
							if (next >= ballots.length) return resolve();
							from = next;
							next = Math.min(ballots.length, next + BATCH);
							worker.postMessage(ballots.slice(from, next));
						};
						worker.on('message', (encrypted: Ballot[]) => {
							encrypted.forEach((b, i) => (out[from + i] = b));
							done += encrypted.length;
							opts.onProgress?.(done);
							send();
						});
						worker.on('error', reject);
						worker.on('exit', (code) => (next < ballots.length || done < ballots.length ? reject(new Error(`an encryption thread exited (${code})`)) : resolve()));
						send();
					})
			)
		);
	} finally {
		await Promise.all(workers.map((w) => w.terminate()));
	}
	return out;
}
