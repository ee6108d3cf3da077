import type { TallyBoard, TallyCheck } from '$lib/secret-ballot/verify-tally';

/** A board as `secretBallot.board` publishes it: what `verifyTally` takes, with the result as stored. */
export interface PublishedBoard extends TallyBoard {
	result: unknown;
}

export type BoardCheck = TallyCheck | { ok: false; reason: 'stored-mismatch' };

/**
 * Everything recomputed from the public board in this browser, in a worker (board-check.worker.ts, the only code
 * that loads noble for it), then the result the council published compared with the counts the board proves: a
 * stored result patched alone is caught too.
 */
export async function checkBoard(board: PublishedBoard): Promise<BoardCheck> {
	const check = await verifyInWorker(board);
	if (!check.ok) return check;
	const stored = (board.result ?? {}) as { counts?: unknown; yes?: unknown; no?: unknown; abstain?: unknown };
	const same = (a: unknown, i: number) => a === check.counts[i];
	const named = stored.yes === undefined || [stored.yes, stored.no, stored.abstain].every(same);
	if (!Array.isArray(stored.counts) || stored.counts.length !== check.counts.length || !stored.counts.every(same) || !named)
		return { ok: false, reason: 'stored-mismatch' };
	return check;
}

function verifyInWorker(board: TallyBoard): Promise<TallyCheck> {
	const worker = new Worker(new URL('./board-check.worker.ts', import.meta.url), { type: 'module' });
	return new Promise<TallyCheck>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent<{ check?: TallyCheck; error?: string }>) => {
			if (event.data.check) resolve(event.data.check);
			else reject(new Error(event.data.error));
		};
		worker.onerror = (event) => reject(new Error(event.message));
		worker.postMessage(board);
	}).finally(() => worker.terminate());
}
