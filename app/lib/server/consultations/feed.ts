import { isNewer } from '../../consultations/order';
import { log } from '../log';
import { AsyncQueue } from '../realtime/async-queue';
import type { consultationResult } from './service';

export type ConsultationResult = Awaited<ReturnType<typeof consultationResult>>;

export interface ConsultationFeedOptions {
	/** Reads the aggregate (with the viewer's own answer when a viewer is given). */
	read: (consultationId: string, viewerId?: string) => Promise<ConsultationResult>;
	/** At most one read and one update per consultation in this window. */
	flushMs: number;
}

interface Topic {
	/** Each subscriber's queue and who is watching (for `myAnswer`). */
	subscribers: Map<AsyncQueue<ConsultationResult>, string>;
	flushTimer: ReturnType<typeof setTimeout> | null;
	deadlineTimer: ReturnType<typeof setTimeout> | null;
	lastFlush: number;
}

// setTimeout's limit (~24.8 days); a later deadline re-arms when this fires.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The shared aggregate, with the subscriber's own answer (the aggregate itself is read once for everybody). */
function forViewer(result: ConsultationResult, viewerId: string): ConsultationResult {
	return { ...result, myAnswer: result.answers.find((a) => a.userId === viewerId)?.choice ?? null };
}

/**
 * Live results of the consultations someone is watching, one instance per app process (owned by the city hub,
 * whose subscription to the city channel reports `k:<consultationId>` on every answer and close). A change marks the
 * consultation; the first change after a quiet window is read at once, further ones at most once per
 * `flushMs`, so a burst of answers costs one query per window whatever the number of screens. The close at
 * the deadline is also seen without any write: a timer re-reads the result when the deadline passes.
 */
export class ConsultationFeed {
	private topics = new Map<string, Topic>();
	private stopped = false;

	constructor(private readonly options: ConsultationFeedOptions) {}

	get subscriberCount(): number {
		let n = 0;
		for (const t of this.topics.values()) n += t.subscribers.size;
		return n;
	}

	/** A consultation changed (answer stored, closed). Unwatched ones cost nothing. */
	changed(consultationId: string): void {
		const topic = this.topics.get(consultationId);
		if (topic) this.schedule(consultationId, topic);
	}

	/** Once the city channel is listened (again, after a lost connection): what happened meanwhile is unknown, re-read all. */
	resyncAll(): void {
		for (const [id, topic] of this.topics) this.schedule(id, topic);
	}

	stop(): void {
		this.stopped = true;
		for (const topic of this.topics.values()) {
			this.clearTimers(topic);
			for (const q of topic.subscribers.keys()) q.close();
		}
		this.topics.clear();
	}

	private schedule(id: string, topic: Topic): void {
		if (topic.flushTimer || this.stopped) return;
		const wait = Math.max(0, topic.lastFlush + this.options.flushMs - Date.now());
		topic.flushTimer = setTimeout(() => void this.flush(id, topic), wait);
		topic.flushTimer.unref();
	}

	private async flush(id: string, topic: Topic): Promise<void> {
		topic.flushTimer = null;
		topic.lastFlush = Date.now();
		if (this.topics.get(id) !== topic) return;
		try {
			const result = await this.options.read(id);
			for (const q of topic.subscribers.keys()) q.push(result);
			this.armDeadline(id, topic, result);
		} catch (err) {
			// Nothing is lost: try again in the next window.
			log.warn('consultation feed: read failed', { consultationId: id, err });
			this.schedule(id, topic);
		}
	}

	private armDeadline(id: string, topic: Topic, result: ConsultationResult): void {
		if (topic.deadlineTimer || result.status !== 'open' || this.stopped) return;
		// A little after the deadline, so the read already finds it passed.
		const wait = Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(result.deadline) - Date.now() + 50));
		topic.deadlineTimer = setTimeout(() => {
			topic.deadlineTimer = null;
			this.schedule(id, topic);
		}, wait);
		topic.deadlineTimer.unref();
	}

	private clearTimers(topic: Topic): void {
		if (topic.flushTimer) clearTimeout(topic.flushTimer);
		if (topic.deadlineTimer) clearTimeout(topic.deadlineTimer);
		topic.flushTimer = topic.deadlineTimer = null;
	}

	private join(id: string, queue: AsyncQueue<ConsultationResult>, viewerId: string): Topic {
		let topic = this.topics.get(id);
		if (!topic) this.topics.set(id, (topic = { subscribers: new Map(), flushTimer: null, deadlineTimer: null, lastFlush: 0 }));
		topic.subscribers.set(queue, viewerId);
		return topic;
	}

	private leave(id: string, queue: AsyncQueue<ConsultationResult>): void {
		const topic = this.topics.get(id);
		if (!topic) return;
		topic.subscribers.delete(queue);
		if (topic.subscribers.size > 0) return;
		this.clearTimers(topic);
		this.topics.delete(id);
	}

	/**
	 * The current result first, then each newer one (the newest only, if the reader fell behind). Ends when
	 * `signal` aborts or the feed stops. The caller makes sure changes are being listened for before calling.
	 */
	async *stream(consultationId: string, viewerId: string, signal?: AbortSignal): AsyncGenerator<ConsultationResult> {
		if (signal?.aborted || this.stopped) return;
		const queue = new AsyncQueue<ConsultationResult>();
		// Joined before the first read, so no change falls between the two.
		const topic = this.join(consultationId, queue, viewerId);
		const abort = () => queue.close();
		signal?.addEventListener('abort', abort, { once: true });
		try {
			let last = await this.options.read(consultationId, viewerId);
			this.armDeadline(consultationId, topic, last);
			yield last;
			for (;;) {
				const batch = await queue.take();
				if (!batch) return;
				// Reads may finish out of order; the newest state wins.
				const newest = batch.reduce((a, b) => (isNewer(b, a) ? b : a));
				if (!isNewer(newest, last)) continue;
				last = forViewer(newest, viewerId);
				yield last;
			}
		} finally {
			signal?.removeEventListener('abort', abort);
			this.leave(consultationId, queue);
		}
	}
}
