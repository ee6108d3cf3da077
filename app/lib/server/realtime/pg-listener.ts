import pg from 'pg';
import { log } from '../log';
import { onShutdown } from '../lifecycle';

/** How the app's LISTEN connection shows in pg_stat_activity (tests and operators find it by this name). */
export const LISTENER_APPLICATION_NAME = 'nts-listener';

export interface ChannelHandler {
	/** A notice on the channel, with its payload ('' when it had none). */
	notify(payload: string): void;
	/**
	 * The LISTEN for this subscription is in place: once after subscribing, and again after every reconnection.
	 * Notices sent while it was not were lost, so this is where a subscriber re-reads what it may have missed.
	 */
	listening?(): void;
	/** The connection was lost (or the listener stopped): notices are not heard until `listening` again. */
	lost?(): void;
}

export interface Subscription {
	/** Resolves once the LISTEN is first in place for this subscription (or when it is closed or the listener stops). */
	readonly ready: Promise<void>;
	/** Whether notices on the channel are being heard right now. */
	readonly listening: boolean;
	close(): void;
}

export interface PgListenerOptions {
	connectionString: string;
	/** As pg_stat_activity shows the connection (default LISTENER_APPLICATION_NAME). */
	applicationName?: string;
	/** First wait after a failed connection; doubled on each further failure up to `maxRetryMs`. */
	retryMs?: number;
	maxRetryMs?: number;
}

interface Entry {
	channel: string;
	handler: ChannelHandler;
	heard: boolean;
	closed: boolean;
	resolveReady: () => void;
}

// Channel names are written into LISTEN unquoted, so only plain lower-case identifiers are accepted.
const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * The process's one dedicated PostgreSQL connection for LISTEN, shared by every module that reacts to notices
 * (sitting events, the city view, auth changes). It owns the reconnect loop: when the connection is lost every
 * subscriber is told (`lost`), the loop reconnects with a growing delay, LISTENs every channel again and tells each
 * subscriber (`listening`) so it can catch up on what it missed. The connection is open only while someone is
 * subscribed.
 */
export class PgListener {
	private readonly entries = new Set<Entry>();
	private client: pg.Client | null = null;
	/** Channels LISTENed on the current connection. */
	private listened = new Set<string>();
	/** True once every channel was LISTENed on the current connection and the subscribers were told. */
	private live = false;
	private running: Promise<void> | null = null;
	private stopped = false;

	constructor(private readonly options: PgListenerOptions) {}

	/** Whether the connection is up with every channel listened. */
	get listening(): boolean {
		return this.live;
	}

	/** Calls `handler.notify` for every notice on `channel` until the subscription is closed. */
	subscribe(channel: string, handler: ChannelHandler): Subscription {
		if (!CHANNEL_NAME.test(channel)) throw new Error(`not a channel name: ${channel}`);
		let resolveReady!: () => void;
		const ready = new Promise<void>((resolve) => (resolveReady = resolve));
		const entry: Entry = { channel, handler, heard: false, closed: false, resolveReady };
		const subscription: Subscription = {
			ready,
			get listening() {
				return entry.heard;
			},
			close: () => this.unsubscribe(entry)
		};
		if (this.stopped) {
			entry.closed = true;
			resolveReady();
			return subscription;
		}
		this.entries.add(entry);
		if (this.live && this.client) {
			const client = this.client;
			if (this.listened.has(channel)) queueMicrotask(() => this.tellListening(entry, client));
			else {
				this.listened.add(channel);
				client.query(`LISTEN ${channel}`).then(
					() => this.tellListening(entry, client),
					(err) => this.drop(client, err)
				);
			}
		}
		this.running ??= this.run();
		return subscription;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		const client = this.client;
		this.client = null;
		await client?.end().catch(() => {});
		await this.running;
		for (const entry of this.entries) this.unsubscribe(entry);
	}

	private unsubscribe(entry: Entry): void {
		if (entry.closed) return;
		entry.closed = true;
		this.entries.delete(entry);
		entry.resolveReady();
		if (entry.heard) {
			entry.heard = false;
			this.call(entry, 'lost');
		}
		const client = this.client;
		if (!client) return;
		if (this.entries.size === 0) {
			// Nobody listens any more: the connection goes (the loop opens a new one on the next subscription), and
			// the listener says so at once, not only when the connection's end reaches the loop.
			this.live = false;
			void client.end().catch(() => {});
		} else if (this.listened.has(entry.channel) && ![...this.entries].some((e) => e.channel === entry.channel)) {
			this.listened.delete(entry.channel);
			client.query(`UNLISTEN ${entry.channel}`).catch((err) => this.drop(client, err));
		}
	}

	private tellListening(entry: Entry, client: pg.Client): void {
		if (entry.closed || this.client !== client) return;
		entry.heard = true;
		this.call(entry, 'listening');
		entry.resolveReady();
	}

	private call(entry: Entry, what: 'listening' | 'lost' | 'notify', payload = ''): void {
		try {
			if (what === 'notify') entry.handler.notify(payload);
			else entry.handler[what]?.();
		} catch (err) {
			// One subscriber's fault never keeps the others from hearing.
			log.warn('pg listener: subscriber failed', { channel: entry.channel, what, err });
		}
	}

	/** Ends a connection that failed a query: the loop notices its end and reconnects. */
	private drop(client: pg.Client, err: unknown): void {
		if (this.client !== client) return;
		log.warn('pg listener: query failed, reconnecting', { err });
		void client.end().catch(() => {});
	}

	private async run(): Promise<void> {
		const base = this.options.retryMs ?? 250;
		const max = this.options.maxRetryMs ?? 5_000;
		let delay = base;
		while (!this.stopped && this.entries.size > 0) {
			const client = new pg.Client({ connectionString: this.options.connectionString, keepAlive: true, application_name: this.options.applicationName ?? LISTENER_APPLICATION_NAME });
			const ended = new Promise<void>((resolve) => {
				client.once('end', () => resolve());
				client.on('error', () => resolve()); // lost: 'end' follows
			});
			client.on('notification', (msg) => this.onNotification(client, msg.channel, msg.payload ?? ''));
			let wasLive = false;
			try {
				await client.connect();
				if (this.stopped || this.entries.size === 0) throw new Error('nobody listens any more');
				this.client = client;
				this.listened = new Set();
				// Subscriptions made while these LISTENs run are picked up by the next round.
				for (;;) {
					const pending = [...new Set([...this.entries].map((e) => e.channel))].filter((c) => !this.listened.has(c));
					if (pending.length === 0) break;
					for (const channel of pending) {
						this.listened.add(channel);
						await client.query(`LISTEN ${channel}`);
					}
				}
				if (this.stopped || this.entries.size === 0 || this.client !== client) throw new Error('nobody listens any more');
				this.live = wasLive = true;
				delay = base;
				for (const entry of [...this.entries]) this.tellListening(entry, client);
				await ended;
			} catch (err) {
				if (!this.stopped && this.entries.size > 0) log.warn('pg listener: cannot listen, retrying', { err, retryMs: delay });
			} finally {
				this.live = false;
				if (this.client === client) this.client = null;
				this.listened = new Set();
				await client.end().catch(() => {});
			}
			if (wasLive && !this.stopped && this.entries.size > 0) log.warn('pg listener: connection lost, re-listening');
			for (const entry of [...this.entries]) {
				if (!entry.heard) continue;
				entry.heard = false;
				this.call(entry, 'lost');
			}
			if (this.stopped || this.entries.size === 0) break;
			if (!wasLive) {
				await new Promise((r) => setTimeout(r, delay));
				delay = Math.min(max, delay * 2);
			}
		}
		this.running = null;
		// A subscription made after the loop decided to end still needs a connection.
		if (!this.stopped && this.entries.size > 0) this.running = this.run();
	}

	private onNotification(client: pg.Client, channel: string, payload: string): void {
		if (this.client !== client) return;
		for (const entry of [...this.entries]) if (entry.channel === channel && entry.heard) this.call(entry, 'notify', payload);
	}
}

let instance: PgListener | undefined;

/** The process's listener, on DATABASE_URL, ended at shutdown after the requests in flight. */
export function pgListener(): PgListener {
	if (!instance) {
		const url = process.env.DATABASE_URL;
		if (!url) throw new Error('DATABASE_URL is not set');
		const created = new PgListener({ connectionString: url });
		instance = created;
		onShutdown(() => created.stop());
	}
	return instance;
}

/** Stops the process's listener (tests); the next `pgListener()` makes a new one. */
export async function stopPgListener(): Promise<void> {
	const current = instance;
	instance = undefined;
	await current?.stop();
}
