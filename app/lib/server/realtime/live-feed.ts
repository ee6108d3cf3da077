import { tracked, type TrackedEnvelope } from '@trpc/server';
import type { EventHub, EventSink, SequencedEvent } from './event-hub';

/**
 * What a subscription procedure returns for a hub topic. tRPC (and `createCaller`) iterate it like any async
 * iterable of `tracked(id, view)` values; the direct HTTP route (api/direct/live-feed.ts) instead attaches a sink and
 * writes each event's frame, serialised once for every stream of the instance. Either way the procedure's
 * input validation and authorisation ran before the feed existed.
 */
export class LiveFeed<E extends SequencedEvent, V> implements AsyncIterable<TrackedEnvelope<V>> {
	constructor(
		private readonly hub: EventHub<E>,
		private readonly topic: string,
		private readonly afterSeq: number,
		/** The frame of one event; cached per event object by the caller (see sse-frames cachedFrames). */
		readonly frame: (event: E) => Uint8Array,
		private readonly view: (event: E) => V,
		private readonly signal?: AbortSignal
	) {}

	/** Wires `sink` to the topic; when the feed's signal aborts (authorisation ended) the sink is closed and detached. */
	attach(sink: EventSink<E>): () => void {
		const signal = this.signal;
		if (signal?.aborted) {
			sink.close();
			return () => {};
		}
		let attached: (() => void) | null = this.hub.attach(this.topic, this.afterSeq, sink);
		const detach = () => {
			signal?.removeEventListener('abort', end);
			attached?.();
			attached = null;
		};
		function end() {
			detach();
			sink.close();
		}
		signal?.addEventListener('abort', end, { once: true });
		return detach;
	}

	async *[Symbol.asyncIterator](): AsyncIterator<TrackedEnvelope<V>> {
		for await (const event of this.hub.stream(this.topic, this.afterSeq, this.signal)) yield tracked(String(event.seq), this.view(event));
	}
}
