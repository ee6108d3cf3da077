import pg from 'pg';
import { log } from '../log';
import { AsyncQueue } from './async-queue';

export interface SequencedEvent {
	seq: number;
}

export interface EventHubOptions<E extends SequencedEvent> {
	connectionString: string;
	channel: string;
	/** Events of one topic after a sequence number, in order. */
	fetchAfter: (topic: string, afterSeq: number) => Promise<E[]>;
	/** The newest sequence number of a topic now. */
	currentSeq: (topic: string) => Promise<number>;
	reconnectDelayMs?: number;
}

interface Topic<E> {
	subscribers: Set<AsyncQueue<E>>;
	lastSeq: number;
	ready: Promise<void>;
	fetching: boolean;
	dirty: boolean;
}

/**
 * One per app instance and channel. PostgreSQL NOTIFY (sent in the transaction that stored the event) wakes
 * the hub once per notification; it reads the new events of that topic once and fans them out to every local
 * subscriber, so the database sees one query per change, not one per screen. Subscribers resume from their
 * last event id and fill any gap from the table, so delivery has no gap and no duplicate.
 */
export class EventHub<E extends SequencedEvent> {
	private topics = new Map<string, Topic<E>>();
	private client: pg.Client | null = null;
	private stopped = false;
	private connecting: Promise<void> | null = null;

	constructor(private readonly options: EventHubOptions<E>) {}

	get subscriberCount(): number {
		let n = 0;
		for (const t of this.topics.values()) n += t.subscribers.size;
		return n;
	}

	get listening(): boolean {
		return this.client !== null;
	}

	start(): Promise<void> {
		this.connecting ??= this.connect();
		return this.connecting;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		for (const t of this.topics.values()) for (const q of t.subscribers) q.close();
		const c = this.client;
		this.client = null;
		await c?.end().catch(() => {});
	}

	private async connect(): Promise<void> {
		while (!this.stopped) {
			const client = new pg.Client({ connectionString: this.options.connectionString, keepAlive: true });
			try {
				await client.connect();
				client.on('notification', (msg) => {
					const topic = msg.payload?.split(':')[0];
					if (topic) void this.refresh(topic);
				});
				const lost = () => this.onLost(client);
				client.on('error', lost);
				client.on('end', lost);
				await client.query(`LISTEN ${this.options.channel}`);
				this.client = client;
				// Anything committed while we were not listening is read now.
				for (const topic of this.topics.keys()) void this.refresh(topic);
				return;
			} catch (err) {
				await client.end().catch(() => {});
				log.warn('event hub: cannot listen, retrying', { channel: this.options.channel, err });
				await new Promise((r) => setTimeout(r, this.options.reconnectDelayMs ?? 1000));
			}
		}
	}

	private onLost(client: pg.Client) {
		if (this.client !== client || this.stopped) return;
		this.client = null;
		log.warn('event hub: connection lost, re-listening', { channel: this.options.channel });
		client.end().catch(() => {});
		this.connecting = this.connect();
	}

	private async refresh(topicKey: string): Promise<void> {
		const topic = this.topics.get(topicKey);
		if (!topic) return;
		await topic.ready;
		if (topic.fetching) {
			topic.dirty = true;
			return;
		}
		topic.fetching = true;
		try {
			do {
				topic.dirty = false;
				const events = await this.options.fetchAfter(topicKey, topic.lastSeq);
				for (const event of events) {
					topic.lastSeq = event.seq;
					for (const q of topic.subscribers) q.push(event);
				}
			} while (topic.dirty);
		} catch (err) {
			log.warn('event hub: refresh failed', { topic: topicKey, err });
		} finally {
			topic.fetching = false;
		}
	}

	private join(topicKey: string, queue: AsyncQueue<E>): Topic<E> {
		let topic = this.topics.get(topicKey);
		if (!topic) {
			const created: Topic<E> = { subscribers: new Set(), lastSeq: 0, ready: Promise.resolve(), fetching: false, dirty: false };
			created.ready = this.options.currentSeq(topicKey).then(
				(seq) => void (created.lastSeq = seq),
				(err) => log.warn('event hub: cannot read topic head', { topic: topicKey, err })
			);
			this.topics.set(topicKey, created);
			topic = created;
		}
		topic.subscribers.add(queue);
		return topic;
	}

	private leave(topicKey: string, queue: AsyncQueue<E>) {
		const topic = this.topics.get(topicKey);
		if (!topic) return;
		topic.subscribers.delete(queue);
		if (topic.subscribers.size === 0) this.topics.delete(topicKey);
	}

	/**
	 * Every event of the topic after `afterSeq`: first those already stored, then live ones, in order,
	 * each exactly once. Ends when `signal` aborts or the hub stops.
	 */
	async *stream(topicKey: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<E> {
		void this.start();
		const queue = new AsyncQueue<E>();
		const topic = this.join(topicKey, queue);
		const abort = () => queue.close();
		if (signal?.aborted) return;
		signal?.addEventListener('abort', abort, { once: true });
		let last = afterSeq;
		try {
			await topic.ready;
			for (const event of await this.options.fetchAfter(topicKey, last)) {
				if (event.seq <= last) continue;
				last = event.seq;
				yield event;
			}
			for (;;) {
				const batch = await queue.take();
				if (!batch) return;
				for (const event of batch) {
					if (event.seq <= last) continue;
					if (event.seq > last + 1) {
						// A gap (e.g. we joined while a read was under way): the table has what we missed.
						for (const missed of await this.options.fetchAfter(topicKey, last)) {
							if (missed.seq <= last) continue;
							last = missed.seq;
							yield missed;
						}
						continue;
					}
					last = event.seq;
					yield event;
				}
			}
		} finally {
			signal?.removeEventListener('abort', abort);
			this.leave(topicKey, queue);
		}
	}
}
