import pg from 'pg';
import { log } from '../log';

interface Notice {
	channel: string;
	payload: string;
}

/** Notices sent in one statement at most (a burst of ballots is a few hundred per second per instance). */
const MAX_BATCH = 500;

/**
 * Sends PostgreSQL notifications for changes that are ALREADY committed, from a connection of its own, batched.
 *
 * Why not `pg_notify` inside the writing transaction: PostgreSQL serialises every committing transaction that
 * has notified behind one database-wide lock, held until its commit record is flushed to disk. With hundreds
 * of ballots a second, every ballot then waits for every other ballot's disk flush, one at a time — the queue
 * that made a city-wide vote slow. Here the ballot commits on its own (flushes group together), and its notice
 * follows in a transaction that writes nothing and so need not wait for the disk (`synchronous_commit = off`
 * on this connection only); notices that pile up meanwhile go together in one statement.
 *
 * Delivery is at least once: a batch that fails is sent again on a new connection (listeners ignore a repeat,
 * by sequence number). A notice can still be lost if this process dies between the commit and the send; the
 * listeners' periodic check of their topics (EventHub) then brings the event within seconds.
 */
export class Notifier {
	private client: pg.Client | null = null;
	private pending: Notice[] = [];
	private sending: Promise<void> | null = null;
	private stopped = false;

	constructor(
		private readonly connectionString: string,
		private readonly retryDelayMs = 500
	) {}

	notify(channel: string, payload: string): void {
		if (this.stopped) return;
		this.pending.push({ channel, payload });
		this.sending ??= this.sendAll().finally(() => (this.sending = null));
	}

	/** Resolves when every notice given so far has been sent (or the notifier stopped). */
	async flushed(): Promise<void> {
		while (this.sending) await this.sending;
	}

	/** Sends what is waiting (for up to `graceMs`: the database may be gone), then closes. */
	async stop(graceMs = 2_000): Promise<void> {
		await Promise.race([this.flushed(), new Promise((r) => setTimeout(r, graceMs).unref())]);
		this.stopped = true;
		const c = this.client;
		this.client = null;
		await c?.end().catch(() => {});
	}

	private async sendAll(): Promise<void> {
		// Let the notices of the same tick join the batch.
		await new Promise((r) => setImmediate(r));
		while (this.pending.length > 0 && !this.stopped) {
			const batch = this.pending.slice(0, MAX_BATCH);
			try {
				const client = await this.connection();
				await client.query('select pg_notify(n.channel, n.payload) from unnest($1::text[], $2::text[]) as n(channel, payload)', [
					batch.map((n) => n.channel),
					batch.map((n) => n.payload)
				]);
				this.pending.splice(0, batch.length);
			} catch (err) {
				log.warn('notifier: cannot send, retrying on a new connection', { err, waiting: this.pending.length });
				const c = this.client;
				this.client = null;
				await c?.end().catch(() => {});
				await new Promise((r) => setTimeout(r, this.retryDelayMs));
			}
		}
	}

	private async connection(): Promise<pg.Client> {
		if (this.client) return this.client;
		const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true, application_name: 'nts-notifier' });
		client.on('error', () => {
			if (this.client === client) this.client = null;
		});
		await client.connect();
		// Only this connection: a notice's transaction writes no data, so nothing is lost by not waiting for the
		// disk; every data write elsewhere keeps waiting for it.
		await client.query('set synchronous_commit = off');
		this.client = client;
		return client;
	}
}
