/**
 * The worker threads that check the secret ballot's proofs: the project's worker pool (../worker-pool/pool.ts)
 * over this folder's worker entry, apart from the PDF pool so that a flood of ballots never waits behind a PDF and
 * the reverse. The queue is long (a ballot's check is milliseconds, and a whole council casts at once); a full
 * queue is refused at once as "busy, send again", which the delegate's page retries.
 */
import path from 'node:path';
import { onShutdown } from '../lifecycle';
import { AppError } from '../errors';
import { WorkerJobError, WorkerPool, defaultPoolSize, type WorkerEntry } from '../worker-pool/pool';
import type { secretTasks } from './tasks';

export const SECRET_BALLOT_WORKER: WorkerEntry = {
	source: path.join('app', 'lib', 'server', 'secret-ballot', 'worker.ts'),
	folder: 'nghi-truong-so-secret-ballot',
	label: 'secret-ballot'
};

type Tasks = typeof secretTasks;
export type SecretTask = keyof Tasks;

let shared: WorkerPool<Tasks> | null = null;

/** Jobs run through the pool since the process started, by task (tests assert the checks went there). */
export const secretJobCounts: Record<SecretTask, number> = {
	verifyBallot: 0,
	sumBallots: 0,
	checkDealing: 0,
	jointKey: 0,
	checkPartial: 0,
	count: 0
};

/**
 * The process's pool: as many workers as the PDF pool's default, and a queue that takes a city-wide secret vote
 * whole — every delegate of the 169 councils casting at once (5,135 in the demo data) — so that none is turned
 * away as busy only to send again while the queue drains (each refusal costs a request, and the retries crowd the
 * checks). Bounded all the same: a queued check is one parsed ballot of a few kB.
 */
export function secretBallotJobs(): WorkerPool<Tasks> {
	if (!shared || shared.isClosed) {
		shared = new WorkerPool<Tasks>({
			worker: SECRET_BALLOT_WORKER,
			size: defaultPoolSize(),
			maxQueue: 8192,
			timeoutMs: 30_000,
			maxOldGenerationSizeMb: 256
		});
		const pool = shared;
		onShutdown(() => pool.close());
	}
	return shared;
}

/** Runs one check in a worker; a full queue or a lost worker is "busy, try again" (nothing was stored). */
export async function runSecretJob<K extends SecretTask>(task: K, input: Parameters<Tasks[K]>[0]): Promise<Awaited<ReturnType<Tasks[K]>>> {
	secretJobCounts[task]++;
	try {
		return await secretBallotJobs().run(task, input);
	} catch (err) {
		if (err instanceof WorkerJobError && err.code !== 'FAILED') throw new AppError('SERVICE_UNAVAILABLE', 'secretBallot.busy', undefined, err);
		throw err;
	}
}
