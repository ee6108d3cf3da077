import { log } from '../log';
import { AsyncQueue } from './async-queue';
import { decodeNotifyPayload } from './notify-payload';
import type { PgListener, Subscription } from './pg-listener';
import { TopicFanout, type EventSink, type FanoutSource, type SequencedEvent } from './topic-fanout';

export type { EventSink, SequencedEvent } from './topic-fanout';

export interface EventHubOptions<E extends SequencedEvent> extends FanoutSource<E> {
	/** The process's LISTEN connection (see pg-listener.ts). */
	listener: PgListener;
	channel: string;
	/** The event carried by a notification's body, or null when it has none (then the table is read). */
	fromNotification: (topic: string, seq: number, body: unknown) => E | null;
	/** How often open topics are checked for events whose notice never came (default 5 s). */
	sweepIntervalMs?: number;
	/** Told of every notice (topic and sequence number), whether or not anyone here subscribes to the topic. */
	onNotice?: (topic: string, seq: number, event: E | null) => void;
}

/**
 * One per app instance and channel. PostgreSQL NOTIFY (sent in the transaction that stored the event, so only
 * after it committed) brings each new event to every instance, usually with the event itself; the hub fans it
 * out to every local subscriber at once, so a change costs no read at all, and a missed or oversized one costs
 * one read per instance, not one per screen. Subscribers resume from their last event id from the table, so
 * delivery has no gap and no duplicate.
 */
export class EventHub<E extends SequencedEvent> {
	private readonly fanout: TopicFanout<E>;
	private subscription: Subscription | null = null;
	private stopped = false;
	private readonly sweeper: ReturnType<typeof setInterval>;

	constructor(private readonly options: EventHubOptions<E>) {
		this.fanout = new TopicFanout<E>(options);
		// Every event the app stores notifies at its commit; an event stored without one (a repair made by hand in
		// the database) or a notice that never arrived still reaches the screens within seconds this way, instead
		// of with the topic's next event.
		this.sweeper = setInterval(() => {
			if (this.listening) this.fanout.sweep().catch((err) => log.warn('event hub: sweep failed', { channel: options.channel, err }));
		}, options.sweepIntervalMs ?? 5_000);
		this.sweeper.unref();
	}

	get subscriberCount(): number {
		return this.fanout.subscriberCount;
	}

	get listening(): boolean {
		return this.subscription?.listening ?? false;
	}

	/** Subscribes to the channel; resolves once its notices are heard. */
	start(): Promise<void> {
		if (this.stopped) return Promise.resolve();
		this.subscription ??= this.options.listener.subscribe(this.options.channel, {
			notify: (payload) => this.onNotification(payload),
			// Anything committed while we were not listening is read now.
			listening: () => this.fanout.refreshAll()
		});
		return this.subscription.ready;
	}

	async stop(): Promise<void> {
		this.stopped = true;
		clearInterval(this.sweeper);
		this.fanout.closeAll();
		this.subscription?.close();
	}

	/** An event this process just committed, fanned out to its own subscribers without waiting for NOTIFY. */
	publishLocal(topicKey: string, event: E): void {
		this.fanout.publish(topicKey, event.seq, event);
	}

	private onNotification(payload: string) {
		const note = decodeNotifyPayload(payload);
		if (!note) return;
		const event = note.body === null ? null : this.options.fromNotification(note.topic, note.seq, note.body);
		this.options.onNotice?.(note.topic, note.seq, event);
		this.fanout.publish(note.topic, note.seq, event);
	}

	/**
	 * Every event of the topic after `afterSeq` goes to `sink`, synchronously as it arrives: first those
	 * already stored, then live ones, in order, each exactly once. Returns the detach function.
	 */
	attach(topicKey: string, afterSeq: number, sink: EventSink<E>): () => void {
		void this.start();
		if (this.stopped) {
			sink.close();
			return () => {};
		}
		return this.fanout.attach(topicKey, afterSeq, sink);
	}

	/** The same as `attach`, as an async generator; ends when `signal` aborts or the hub stops. */
	async *stream(topicKey: string, afterSeq: number, signal?: AbortSignal): AsyncGenerator<E> {
		if (signal?.aborted) return;
		const queue = new AsyncQueue<E>();
		const detach = this.attach(topicKey, afterSeq, { deliver: (e) => queue.push(e), close: () => queue.close() });
		const abort = () => queue.close();
		signal?.addEventListener('abort', abort, { once: true });
		try {
			for (;;) {
				const batch = await queue.take();
				if (!batch) return;
				yield* batch;
			}
		} finally {
			signal?.removeEventListener('abort', abort);
			detach();
		}
	}
}
