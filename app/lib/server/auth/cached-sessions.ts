import { getDb } from '../db';
import { onShutdown } from '../lifecycle';
import { AuthChangeListener } from './auth-changes';
import { loadSession, type AuthUser } from './current-user';
import { hashToken } from './session';
import { SessionCache } from './session-cache';

// The process's session cache and its listener (one LISTEN connection), started with the first lookup.
const cache = new SessionCache();
let listener: AuthChangeListener | undefined;

function ensureListening(): void {
	if (listener) return;
	const url = process.env.DATABASE_URL;
	if (!url) return; // no database configured: nothing to listen to, so the cache stays off
	const created = new AuthChangeListener(url, cache);
	listener = created;
	created.start();
	onShutdown(() => created.stop());
}

/**
 * The signed-in user behind a session token: from the cache while it is kept honest (see SessionCache), else from
 * the database. Throws when the database cannot answer.
 */
export async function sessionUser(token: string): Promise<AuthUser | null> {
	ensureListening();
	const tokenHash = hashToken(token);
	const cached = cache.get(tokenHash);
	if (cached) return cached;
	const readAt = cache.generation;
	const session = await loadSession(getDb(), tokenHash);
	if (!session) return null;
	cache.set(tokenHash, session.user, session.expiresAt, readAt);
	return session.user;
}

/** Forgets a session here at once (logout); other instances hear of it from the database's notice. */
export function forgetSession(token: string): void {
	cache.forget(hashToken(token));
}

/** Forgets every cached session here at once, after this instance changed roles (the notice tells the others). */
export function forgetAllSessions(): void {
	cache.clear();
}
