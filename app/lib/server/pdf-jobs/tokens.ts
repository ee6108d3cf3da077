/**
 * The worker thread that talks to PKCS#11 tokens (signing/signer-pkcs11.ts). pkcs11js calls the token's module
 * synchronously, and a USB token's RSA signature takes a good part of a second (a hung one, forever): on the main
 * thread either would stop the event loop that serves votes and health checks. So the calls run in a pool of its
 * own, of ONE worker, apart from the PDF pool: a module may be initialised by one thread of a process at a time
 * (C_Initialize in a second thread fails with CKR_CRYPTOKI_ALREADY_INITIALIZED, and a C_Finalize in one ends the
 * other's session), a token signs one thing at a time anyway, and a PDF verification queue never delays a
 * signature. The pool's time budget terminates a worker stuck on a token and starts a fresh one.
 */
import { AppError } from '../errors';
import { onShutdown } from '../lifecycle';
import { WorkerJobError, WorkerPool } from '../worker-pool/pool';
import { PDF_WORKER, type PdfTasks } from './pool';
import type { TaskInput, TaskName, TokenJobOutput } from './tasks';
import { SigningError, type SigningErrorCode } from '../../../../signing/index';

let shared: WorkerPool<PdfTasks> | null = null;

/** The process's token worker (TOKEN_JOB_TIMEOUT_MS: its time budget per call, default 30 s). */
export function tokenJobs(): WorkerPool<PdfTasks> {
	if (!shared || shared.isClosed) {
		const ms = Number(process.env.TOKEN_JOB_TIMEOUT_MS ?? '');
		shared = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: 1, maxQueue: 8, timeoutMs: Number.isInteger(ms) && ms > 0 ? ms : 30_000 });
		const pool = shared;
		onShutdown(() => pool.close());
	}
	return shared;
}

type TokenTask = Extract<TaskName, 'tokenGenerate' | 'tokenPublicKey' | 'tokenSign' | 'tokenProtection'>;

/** Runs one token call; a refusal comes back as its SigningError, a busy or stuck worker as "busy, try again". */
export async function runTokenJob<K extends TokenTask, T>(task: K, input: TaskInput<K>, pool: WorkerPool<PdfTasks> = tokenJobs()): Promise<T> {
	let out: TokenJobOutput<T>;
	try {
		out = (await pool.run(task, input)) as TokenJobOutput<T>;
	} catch (err) {
		if (err instanceof WorkerJobError) {
			if (err.code === 'TIMEOUT') throw new SigningError('TOKEN_FAILED', 'the token did not answer in time', { cause: err });
			throw new AppError('SERVICE_UNAVAILABLE', 'resolution.signingBusy');
		}
		throw err;
	}
	if (!out.ok) throw new SigningError(out.code as SigningErrorCode);
	return out.value;
}
