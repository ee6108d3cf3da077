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

interface OpenStream {
	send: (frame: Uint8Array) => void;
	lastWriteAt: number;
	pingIntervalMs: number;
}

/** How often the one timer looks for streams that have been quiet for their ping interval. */
const PING_TICK_MS = 1_000;

/**
 * Every open stream of the process, looked after by ONE timer rather than one per stream. A ping only keeps a
 * QUIET connection alive, so only a stream with nothing written for its interval gets one: during a vote the
 * events do that job, and the pings of thousands of screens no longer leave in one burst every ten seconds (a
 * burst of 5,000 writes held every ballot behind it for ~100 ms).
 */
const open = new Set<OpenStream>();
let pinger: ReturnType<typeof setInterval> | null = null;

function startPinger() {
	if (pinger) return;
	pinger = setInterval(() => {
		const now = Date.now();
		for (const stream of open) if (now - stream.lastWriteAt >= stream.pingIntervalMs) stream.send(PING_FRAME);
		if (open.size === 0 && pinger) {
			clearInterval(pinger);
			pinger = null;
		}
	}, PING_TICK_MS);
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
	// As if last written at a random moment of the past interval: screens that connected together (a whole city
	// after a network blip) get their first pings spread over the interval, not in one burst.
	const stream: OpenStream = { send, lastWriteAt: Date.now() - Math.random() * options.pingIntervalMs, pingIntervalMs: options.pingIntervalMs };
	const finish = () => {
		open.delete(stream);
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
		stream.lastWriteAt = Date.now();
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
	open.add(stream);
	startPinger();
	detach = attach({
		deliver: (event) => {
			if (open.has(stream)) send(frame(event));
		},
		close: () => {
			// The server ends the stream (shutdown): tRPC's `return` tells the client it ended on purpose.
			if (!open.has(stream)) return;
			finish();
			res.end(RETURN_FRAME);
		}
	});
}
