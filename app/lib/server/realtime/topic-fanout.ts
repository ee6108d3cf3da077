import { log } from '../log';

export interface SequencedEvent {
	seq: number;
}

/** Where one subscriber's events go, in order, each exactly once. Called synchronously by the fan-out. */
export interface EventSink<E> {
	deliver(event: E): void;
	/** The hub stopped: no more events will come. */
	close(): void;
}

export interface FanoutSource<E extends SequencedEvent> {
	/** Events of one topic after a sequence number, in order (the stored table). */
	fetchAfter: (topic: string, afterSeq: number) => Promise<E[]>;
	/** The newest sequence number of a topic now. */
	currentSeq: (topic: string) => Promise<number>;
	/** The newest sequence numbers of many topics in one read (for the periodic sweep); else each is read. */
	currentSeqs?: (topics: string[]) => Promise<Map<string, number>>;
}

/**
 * One subscriber: first the stored events after its resume point, then live ones. While it catches up from
 * the table, live events wait in `held`; a gap (seq jumps) sends it back to the table. So every event after
 * the resume point reaches the sink exactly once and in order, whatever the timing.
 */
class Subscriber<E extends SequencedEvent> {
	private held: E[] = [];
	private catchingUp = false;
	closed = false;

	constructor(
		private last: number,
		private readonly sink: EventSink<E>,
		private readonly fetchMissed: (afterSeq: number) => Promise<E[]>
	) {}

	offer(event: E): void {
		if (this.closed || event.seq <= this.last) return;
		if (this.catchingUp || event.seq !== this.last + 1) {
			this.held.push(event);
			void this.catchUp();
			return;
		}
		this.last = event.seq;
		this.sink.deliver(event);
	}

	async catchUp(): Promise<void> {
		if (this.catchingUp) return;
		this.catchingUp = true;
		try {
			for (;;) {
				if (this.closed) return;
				// Held events that now follow on directly go out without a read.
				this.held.sort((a, b) => a.seq - b.seq);
				while (this.held.length && this.held[0].seq <= this.last + 1) {
					const next = this.held.shift()!;
					if (next.seq === this.last + 1) {
						this.last = next.seq;
						this.sink.deliver(next);
					}
				}
				if (this.held.length === 0) return;
				const missed = await this.fetchMissed(this.last);
				if (this.closed) return;
				let progressed = false;
				for (const event of missed) {
					if (event.seq !== this.last + 1) continue;
					this.last = event.seq;
					this.sink.deliver(event);
					progressed = true;
				}
				// Held events newer than anything stored yet will follow on once the table has them.
				if (!progressed) await new Promise((r) => setTimeout(r, 50));
			}
		} catch (err) {
			log.warn('event hub: catching up failed', { err });
			setTimeout(() => void this.catchUp(), 500);
		} finally {
			this.catchingUp = false;
		}
	}

	/**
	 * Delivers the stored backlog, then lets live events through. The backlog is read after the topic's head
	 * (`ready`), so whatever the topic fans out live from then on is newer than what the read can miss.
	 */
	async start(ready: Promise<void>): Promise<void> {
		this.catchingUp = true;
		try {
			await ready;
			for (const event of await this.fetchMissed(this.last)) {
				if (this.closed) return;
				if (event.seq !== this.last + 1) continue;
				this.last = event.seq;
				this.sink.deliver(event);
			}
		} finally {
			this.catchingUp = false;
		}
		if (this.held.length) await this.catchUp();
	}

	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.held = [];
		this.sink.close();
	}
}

interface Topic<E extends SequencedEvent> {
	subscribers: Set<Subscriber<E>>;
	/** The newest seq already fanned out live (or the head when the topic was opened). */
	lastSeq: number;
	ready: Promise<void>;
	fetching: boolean;
	dirty: boolean;
}

/**
 * Fans the events of each topic out to its local subscribers. A live event that follows on from the last one
 * goes straight to every subscriber (no database read); anything else — an event announced without its body,
 * or a jump in sequence — is read once from the table for all subscribers of the topic.
 */
export class TopicFanout<E extends SequencedEvent> {
	private topics = new Map<string, Topic<E>>();

	constructor(private readonly source: FanoutSource<E>) {}

	get subscriberCount(): number {
		let n = 0;
		for (const t of this.topics.values()) n += t.subscribers.size;
		return n;
	}

	/** An event committed in `topicKey` (with its body when the notification carried it). */
	publish(topicKey: string, seq: number, event: E | null): void {
		const topic = this.topics.get(topicKey);
		if (!topic || seq <= topic.lastSeq) return;
		if (event && !topic.fetching && topic.lastSeq > 0 && seq === topic.lastSeq + 1) {
			topic.lastSeq = seq;
			for (const s of topic.subscribers) s.offer(event);
			return;
		}
		void this.refresh(topicKey);
	}

	/**
	 * Finds topics whose head is past what was fanned out (an event whose notice never came: its writer died
	 * between commit and notice) and reads them; one read of all heads when the source can.
	 */
	async sweep(): Promise<void> {
		const keys = [...this.topics.keys()];
		if (keys.length === 0) return;
		if (!this.source.currentSeqs) return this.refreshAll();
		const heads = await this.source.currentSeqs(keys);
		for (const key of keys) {
			const topic = this.topics.get(key);
			if (topic && !topic.fetching && (heads.get(key) ?? 0) > topic.lastSeq) void this.refresh(key);
		}
	}

	/** Reads every open topic again (after a lost connection, anything may have been missed). */
	refreshAll(): void {
		for (const key of this.topics.keys()) void this.refresh(key);
	}

	private async refresh(topicKey: string): Promise<void> {
		const topic = this.topics.get(topicKey);
		if (!topic) return;
		if (topic.fetching) {
			topic.dirty = true;
			return;
		}
		topic.fetching = true;
		try {
			await topic.ready;
			do {
				topic.dirty = false;
				const events = await this.source.fetchAfter(topicKey, topic.lastSeq);
				for (const event of events) {
					if (event.seq <= topic.lastSeq) continue;
					topic.lastSeq = event.seq;
					for (const s of topic.subscribers) s.offer(event);
				}
			} while (topic.dirty);
		} catch (err) {
			log.warn('event hub: refresh failed', { topic: topicKey, err });
		} finally {
			topic.fetching = false;
		}
	}

	/**
	 * Every event of the topic after `afterSeq` goes to `sink`: the stored ones first, then live ones, in order,
	 * each exactly once. Returns the function that detaches the sink.
	 */
	attach(topicKey: string, afterSeq: number, sink: EventSink<E>): () => void {
		let topic = this.topics.get(topicKey);
		if (!topic) {
			const created: Topic<E> = { subscribers: new Set(), lastSeq: 0, ready: Promise.resolve(), fetching: false, dirty: false };
			created.ready = this.source.currentSeq(topicKey).then(
				(seq) => void (created.lastSeq = Math.max(created.lastSeq, seq)),
				(err) => log.warn('event hub: cannot read topic head', { topic: topicKey, err })
			);
			this.topics.set(topicKey, created);
			topic = created;
		}
		const subscriber = new Subscriber<E>(afterSeq, sink, (after) => this.source.fetchAfter(topicKey, after));
		topic.subscribers.add(subscriber);
		void subscriber.start(topic.ready).catch((err) => {
			log.warn('event hub: cannot read the backlog', { topic: topicKey, err });
			subscriber.close();
		});
		const owner = topic;
		return () => {
			subscriber.closed = true;
			owner.subscribers.delete(subscriber);
			if (owner.subscribers.size === 0 && this.topics.get(topicKey) === owner) this.topics.delete(topicKey);
		};
	}

	/** Ends every subscription (the hub stops). */
	closeAll(): void {
		for (const t of this.topics.values()) for (const s of t.subscribers) s.close();
		this.topics.clear();
	}
}
