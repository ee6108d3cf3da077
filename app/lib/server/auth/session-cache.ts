import type { AuthUser } from './current-user';

/**
 * Who is behind a session token, remembered between requests so that a call does not begin with a database round
 * trip. It is an authorisation cache, so it is only trusted while someone keeps it honest: `enabled` is true only
 * while this process listens for the database's notice that sessions, users, roles or councils changed (see
 * auth-changes.ts), every such notice empties it, and an entry never outlives its session nor `maxAgeMs`.
 * `generation` guards the race where a change lands while a lookup is in flight: a result read before the change
 * is not stored after it.
 */
export class SessionCache {
	private entries = new Map<string, { user: AuthUser; until: number }>();
	private enabledNow = false;
	generation = 0;

	constructor(
		private readonly maxAgeMs = 60_000,
		private readonly maxEntries = 50_000
	) {}

	get enabled(): boolean {
		return this.enabledNow;
	}

	/** Turned on when the listener is in place (after emptying: changes may have gone unheard), off when it is lost. */
	setEnabled(on: boolean): void {
		this.clear();
		this.enabledNow = on;
	}

	get(tokenHash: string, now = Date.now()): AuthUser | undefined {
		if (!this.enabledNow) return undefined;
		const entry = this.entries.get(tokenHash);
		if (!entry) return undefined;
		if (entry.until <= now) {
			this.entries.delete(tokenHash);
			return undefined;
		}
		return entry.user;
	}

	/** Stores a lookup made while `generation` was `readAt`, unless something changed since. */
	set(tokenHash: string, user: AuthUser, sessionExpiresAt: Date, readAt: number, now = Date.now()): void {
		if (!this.enabledNow || readAt !== this.generation) return;
		if (this.entries.size >= this.maxEntries) this.entries.clear();
		this.entries.set(tokenHash, { user, until: Math.min(sessionExpiresAt.getTime(), now + this.maxAgeMs) });
	}

	/** Forgets one session at once (logout on this instance; the database's notice tells the others). */
	forget(tokenHash: string): void {
		this.entries.delete(tokenHash);
		this.generation++;
	}

	clear(): void {
		this.entries.clear();
		this.generation++;
	}
}
