import { setTimeout as sleep } from 'node:timers/promises';
import { subscribe, type HttpClient } from './http-client';

/**
 * How long a screen waits before connecting again after its stream failed or ended. The browser's EventSource,
 * under tRPC's subscription link, reconnects by itself after its retry delay (about 3 s by default); a shorter
 * one keeps the test quick and changes nothing about what is delivered — this reproduces the client's own
 * behaviour, it is not a wait for a result.
 */
const RECONNECT_MS = 500;

export interface SittingFollower {
	/** Every event's sequence number in the order received, duplicates included (so they can be seen). */
	readonly seqs: number[];
	/** Each message's SSE id, which must be its sequence number (what a reconnect resumes from). */
	readonly ids: (string | null)[];
	/** Streams opened so far: 1 while the first one held, more after each reconnect. */
	readonly connections: number;
	/** The last sequence number received. */
	readonly last: number;
	stop: () => Promise<void>;
}

/**
 * Follows `sitting.events` as the app's screens do (app/lib/sittings/live.svelte.ts through tRPC's subscription
 * link): subscribes after `afterSeq`, and whenever the stream fails or ends (the app went away, answered an
 * error), subscribes again with the last event id it saw as `lastEventId` in the input, which is how tRPC's
 * client resumes (`inputWithTrackedEventId` in @trpc/client).
 * Nothing is de-duplicated or re-ordered here: the caller checks what the server delivered.
 */
export function followSittingEvents(client: HttpClient, sittingId: string, afterSeq: number): SittingFollower {
	const seqs: number[] = [];
	const ids: (string | null)[] = [];
	let connections = 0;
	let last = afterSeq;
	const controller = new AbortController();
	const running = (async () => {
		while (!controller.signal.aborted) {
			connections++;
			try {
				for await (const message of subscribe(client, 'sitting.events', { sittingId, lastEventId: String(last) }, controller.signal)) {
					const seq = (message.data as { seq: number }).seq;
					seqs.push(seq);
					ids.push(message.id);
					last = seq;
				}
			} catch {
				// Refused connection, an error answer or a dropped stream: the screen reconnects, as below.
			}
			if (!controller.signal.aborted) await sleep(RECONNECT_MS, undefined, { signal: controller.signal }).catch(() => {});
		}
	})();
	return {
		seqs,
		ids,
		get connections() {
			return connections;
		},
		get last() {
			return last;
		},
		stop: async () => {
			controller.abort();
			await running;
		}
	};
}
