import type { PgListener, Subscription } from '../realtime/pg-listener';
import type { SessionCache } from './session-cache';

/** Sent (by triggers, migration 0007) when sessions, users, city roles, council memberships or councils change. */
export const AUTH_CHANGED_CHANNEL = 'auth_changed';

/**
 * Keeps a SessionCache honest: subscribes (on the process's LISTEN connection) to the database's notice that
 * who-may-do-what changed (a logout, a role revoked on any instance, a user deactivated) and empties the cache on
 * each. The cache is enabled only while the LISTEN is in place; when the connection is lost it is emptied and
 * disabled (every request reads the database again) until the listener is back. `onChange` is told of each notice
 * too, and once each time the LISTEN is (again) in place, since notices sent while it was not were lost.
 */
export class AuthChangeListener {
	private subscription: Subscription | null = null;
	private stopped = false;

	constructor(
		private readonly listener: PgListener,
		private readonly cache: SessionCache,
		private readonly onChange: () => void = () => {}
	) {}

	start(): void {
		if (this.stopped) return;
		this.subscription ??= this.listener.subscribe(AUTH_CHANGED_CHANNEL, {
			notify: () => {
				this.cache.clear();
				this.onChange();
			},
			listening: () => {
				this.cache.setEnabled(true);
				this.onChange();
			},
			lost: () => this.cache.setEnabled(false)
		});
	}

	stop(): void {
		this.stopped = true;
		this.subscription?.close();
		this.cache.setEnabled(false);
	}
}
