/**
 * A random key of 128 bits (32 hex digits), e.g. a ballot's idempotency key. `crypto.randomUUID` exists only in
 * secure contexts, and ward halls may reach the app over plain http on their intranet; `getRandomValues` exists
 * in every context, so it is used always (never Date.now()/Math.random(), which another tab could guess).
 */
export function randomKey(): string {
	const bytes = crypto.getRandomValues(new Uint8Array(16));
	return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
