import type { TallyCheck } from '$lib/secret-ballot/verify-tally';

/** A board as `secretBallot.board` publishes it: what `verifyTally` takes, with the result as stored. */
export interface PublishedBoard {
	counts: number[];
	result: unknown;
}

export type BoardCheck = TallyCheck | { ok: false; reason: 'stored-mismatch' };

/**
 * Everything recomputed from the public board in this browser (noble; loaded only here), then the result the
 * council published compared with the counts the board proves: a stored result patched alone is caught too.
 */
export async function checkBoard(board: PublishedBoard): Promise<BoardCheck> {
	const { verifyTally } = await import('$lib/secret-ballot/verify-tally');
	const check = verifyTally(board);
	if (!check.ok) return check;
	const stored = (board.result ?? {}) as { counts?: unknown; yes?: unknown; no?: unknown; abstain?: unknown };
	const same = (a: unknown, i: number) => a === check.counts[i];
	const named = stored.yes === undefined || [stored.yes, stored.no, stored.abstain].every(same);
	if (!Array.isArray(stored.counts) || stored.counts.length !== check.counts.length || !stored.counts.every(same) || !named)
		return { ok: false, reason: 'stored-mismatch' };
	return check;
}
