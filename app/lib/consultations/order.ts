/** What orders the states of a consultation's result (shared by the server's feed and the browser). */
export interface ResultState {
	answered: number;
	status: 'open' | 'closed';
}

/**
 * Answers only ever add and a consultation only ever goes from open to closed, so (answered, status) orders the
 * states: a result that is not newer than the one already held (a read that overtook another) is stale.
 */
export function isNewer(next: ResultState, prev: ResultState | null): boolean {
	if (!prev) return true;
	if (next.answered !== prev.answered) return next.answered > prev.answered;
	return next.status === 'closed' && prev.status === 'open';
}
