import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from '../log';
import type { SessionCache } from './session-cache';

/** Sent (by triggers, migration 0007) when sessions, users, city roles, council memberships or councils change. */
export const AUTH_CHANGED_CHANNEL = 'auth_changed';

/**
 * Keeps a SessionCache honest: listens on its own connection for the database's notice that who-may-do-what
 * changed (a logout, a role revoked on any instance, a user deactivated) and empties the cache on each. The cache
 * is enabled only while the LISTEN is in place; when the connection is lost it is emptied and disabled (every
 * request reads the database again) until the listener is back. `onChange` is told of each notice too, and once
 * each time the LISTEN is (again) in place, since notices sent while it was not were lost.
 */
export class AuthChangeListener {
	private client: pg.Client | null = null;
	private stopped = false;
	private running: Promise<void> | null = null;

	constructor(
		private readonly connectionString: string,
		private readonly cache: SessionCache,
		private readonly retryMs = 1_000,
		private readonly onChange: () => void = () => {}
	) {}

	start(): void {
		this.running ??= this.listen();
	}

	private async listen(): Promise<void> {
		while (!this.stopped) {
			const client = new pg.Client({ connectionString: this.connectionString, application_name: 'nts-auth-changes' });
			const ended = new Promise<void>((resolve) => {
				client.once('end', resolve);
				client.on('error', () => resolve()); // lost: 'end' follows; the cache is off from here
			});
			client.on('notification', () => {
				this.cache.clear();
				this.onChange();
			});
			try {
				await client.connect();
				await client.query(`LISTEN ${AUTH_CHANGED_CHANNEL}`);
				this.client = client;
				if (this.stopped) break;
				this.cache.setEnabled(true);
				this.onChange();
				await ended;
			} catch (err) {
				if (!this.stopped) log.warn('auth change listener unavailable', { err });
			} finally {
				this.cache.setEnabled(false);
				this.client = null;
				await client.end().catch(() => {});
			}
			if (!this.stopped) await sleep(this.retryMs);
		}
	}

	async stop(): Promise<void> {
		this.stopped = true;
		this.cache.setEnabled(false);
		await this.client?.end().catch(() => {});
		await this.running;
	}
}
