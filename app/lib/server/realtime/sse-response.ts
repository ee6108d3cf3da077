import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../http/caller-identity';
import { log } from '../log';
import { PING_FRAME, RETURN_FRAME, connectedFrame } from './sse-frames';
import type { EventSink } from './topic-fanout';

/**
 * Bytes a slow client may have waiting (beyond what the kernel buffers) before it is cut off; it reconnects
 * and resumes from the table. A sitting's whole day of events is far less.
 */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export interface SseOptions {
	/** Sent in the `connected` event (tRPC's client options, e.g. reconnectAfterInactivityMs). */
	clientOptions: object;
	pingIntervalMs: number;
	maxQueuedBytes?: number;
}

/** Every open stream of the process, pinged by ONE timer rather than one per stream. */
const open = new Set<(frame: Uint8Array) => void>();
let pinger: ReturnType<typeof setInterval> | null = null;

function startPinger(intervalMs: number) {
	if (pinger) return;
	pinger = setInterval(() => {
		for (const send of open) send(PING_FRAME);
		if (open.size === 0 && pinger) {
			clearInterval(pinger);
			pinger = null;
		}
	}, intervalMs);
	pinger.unref();
}

/**
 * Answers a request with an SSE stream fed by a sink, written straight to node:http's response: each event's
 * frame (serialised once per instance by the caller) is one write per stream, with no per-stream
 * serialisation, timers, promises or async iteration — as cheap as a bare broadcast server. `attach` wires the
 * sink and returns its detach function; the stream detaches when the client goes away.
 */
export function writeSseResponse<E>(res: ServerResponse, attach: (sink: EventSink<E>) => () => void, frame: (event: E) => Uint8Array, options: SseOptions): void {
	const maxQueued = options.maxQueuedBytes ?? MAX_QUEUED_BYTES;
	let detach: (() => void) | null = null;
	const finish = () => {
		open.delete(send);
		detach?.();
		detach = null;
	};
	function send(bytes: Uint8Array) {
		if (res.writableLength > maxQueued) {
			log.warn('live stream: client too slow, closing so it resumes from its last event');
			finish();
			res.destroy();
			return;
		}
		res.write(bytes);
	}
	res.writeHead(200, {
		...SECURITY_HEADERS,
		'content-type': 'text/event-stream',
		'cache-control': 'no-cache, no-transform',
		'x-accel-buffering': 'no',
		connection: 'keep-alive'
	});
	res.write(connectedFrame(options.clientOptions));
	res.on('close', finish);
	open.add(send);
	startPinger(options.pingIntervalMs);
	detach = attach({
		deliver: (event) => {
			if (open.has(send)) send(frame(event));
		},
		close: () => {
			// The server ends the stream (shutdown): tRPC's `return` tells the client it ended on purpose.
			if (!open.has(send)) return;
			finish();
			res.end(RETURN_FRAME);
		}
	});
}
