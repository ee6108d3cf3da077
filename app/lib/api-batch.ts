// What one tRPC request may carry: shared by the server, which refuses anything else, and the browser's client,
// which never sends anything else (app/lib/trpc.ts).

/**
 * The most calls one batched request may carry. A batch costs the server one request's checks for many calls'
 * work, so an unbounded one lets a single request do unbounded work.
 */
export const MAX_BATCH_CALLS = 10;

/** The reads of the auth router; everything else there changes who is signed in. */
const AUTH_READS = new Set(['auth.me']);

/**
 * Calls that must be sent alone, never in a batch: every other procedure of the auth router (login, logout, and any
 * added later), because each login costs an argon2 hash and is counted by the login limits one request at a time.
 */
export function mustTravelAlone(path: string): boolean {
	return path.startsWith('auth.') && !AUTH_READS.has(path);
}

export type BatchRefusal = { i18nKey: 'error.batchTooLarge'; params: { max: number } } | { i18nKey: 'auth.batchAlone'; params?: undefined };

/**
 * Why a request to /api/trpc/<path>?<query> is refused before any of its calls runs, or null when it is not.
 * `path` is the part after /api/trpc/: one procedure, or a batch's procedures joined by commas.
 */
export function batchRefusal(path: string, query: URLSearchParams): BatchRefusal | null {
	if (query.get('batch') !== '1') return null;
	const calls = path.split(',');
	if (calls.length > MAX_BATCH_CALLS) return { i18nKey: 'error.batchTooLarge', params: { max: MAX_BATCH_CALLS } };
	// A batch of one is the client's ordinary way of sending a single call; it is one login like any other.
	if (calls.length > 1 && calls.some(mustTravelAlone)) return { i18nKey: 'auth.batchAlone' };
	return null;
}
