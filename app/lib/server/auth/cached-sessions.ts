import { getDb } from '../db';
import { onShutdown } from '../lifecycle';
import { pgListener } from '../realtime/pg-listener';
import { AuthChangeListener } from './auth-changes';
import { loadSession, type AuthUser } from './current-user';
import { hashToken } from './session';
import { SessionCache } from './session-cache';

// The process's session cache and its subscription to auth changes (on the one LISTEN connection), started with
// the first lookup.
const cache = new SessionCache();
let listener: AuthChangeListener | undefined;

// Who else hears of auth changes (the live streams' guard), and how many changes this process has heard: a user
// read before the latest one may be out of date (see changedSinceRead).
const changeListeners = new Set<() => void>();
let changesHeard = 0;
const heardWhenRead = new WeakMap<AuthUser, number>();

function authChanged(): void {
	changesHeard++;
	for (const l of changeListeners) l();
}

function ensureListening(): void {
	if (listener) return;
	const url = process.env.DATABASE_URL;
	if (!url) return; // no database configured: nothing to listen to, so the cache stays off
	const created = new AuthChangeListener(pgListener(), cache, authChanged);
	listener = created;
	created.start();
	onShutdown(() => created.stop());
}

/**
 * Calls `listener` on every notice that sessions, users, roles or councils changed (from any instance, this one's
 * own changes included), and each time the listening connection is back after a loss.
 */
export function onAuthChange(listener: () => void): void {
	changeListeners.add(listener);
	ensureListening();
}

/**
 * Whether an auth change was heard after `user` was read by sessionUser (so it may no longer hold). False for a
 * user read elsewhere (scripts and tests build their own).
 */
export function changedSinceRead(user: AuthUser): boolean {
	const at = heardWhenRead.get(user);
	return at !== undefined && at !== changesHeard;
}

/**
 * The signed-in user behind a session token: from the cache while it is kept honest (see SessionCache), else from
 * the database. Throws when the database cannot answer.
 */
export async function sessionUser(token: string): Promise<AuthUser | null> {
	ensureListening();
	const tokenHash = hashToken(token);
	// A cached user is as of now: every notice empties the cache (and one read before a notice is never stored).
	const cached = cache.get(tokenHash);
	if (cached) return cached;
	const readAt = cache.generation;
	const heard = changesHeard;
	const session = await loadSession(getDb(), tokenHash);
	if (!session) return null;
	heardWhenRead.set(session.user, heard);
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
