import { log } from '../log';
import { PING_FRAME, RETURN_FRAME, connectedFrame } from './sse-frames';
import type { EventSink } from './topic-fanout';

/** Frames a slow client may have waiting before it is cut off; it reconnects and resumes from the table. */
const MAX_QUEUED_FRAMES = 5_000;

export interface SseOptions {
	/** Sent in the `connected` event (tRPC's client options, e.g. reconnectAfterInactivityMs). */
	clientOptions: object;
	pingIntervalMs: number;
}

interface OpenStream {
	controller: ReadableStreamDefaultController<Uint8Array>;
	/** Stops the stream's feed (detaches its sink from the hub). */
	finish: () => void;
}

/** Every open stream of the process, pinged by ONE timer rather than one per stream. */
const open = new Set<OpenStream>();
let pinger: ReturnType<typeof setInterval> | null = null;

function startPinger(intervalMs: number) {
	if (pinger) return;
	pinger = setInterval(() => {
		for (const s of open) send(s, PING_FRAME);
		if (open.size === 0 && pinger) {
			clearInterval(pinger);
			pinger = null;
		}
	}, intervalMs);
	pinger.unref();
}

function send(stream: OpenStream, frame: Uint8Array) {
	if ((stream.controller.desiredSize ?? 0) < -MAX_QUEUED_FRAMES) {
		log.warn('live stream: client too slow, closing so it resumes from its last event');
		stream.controller.error(new Error('client too slow'));
		stream.finish();
		return;
	}
	stream.controller.enqueue(frame);
}

/**
 * An SSE response fed by a sink: each event's frame is written as it is fanned out, with no per-stream
 * serialisation, timers or async iteration. `attach` wires the sink and returns its detach function.
 */
export function sseResponse<E>(attach: (sink: EventSink<E>) => () => void, frame: (event: E) => Uint8Array, options: SseOptions): Response {
	let detach: (() => void) | null = null;
	let stream: OpenStream | null = null;
	const finish = () => {
		if (stream) open.delete(stream);
		detach?.();
		detach = null;
	};
	const body = new ReadableStream<Uint8Array>(
		{
			start(controller) {
				const current: OpenStream = { controller, finish };
				stream = current;
				controller.enqueue(connectedFrame(options.clientOptions));
				open.add(current);
				startPinger(options.pingIntervalMs);
				detach = attach({
					deliver: (event) => {
						if (open.has(current)) send(current, frame(event));
					},
					close: () => {
						// The server ends the stream (shutdown): tRPC's `return` tells the client it ended on purpose.
						if (!open.has(current)) return;
						controller.enqueue(RETURN_FRAME);
						controller.close();
						finish();
					}
				});
			},
			cancel: finish
		},
		{ highWaterMark: 0 }
	);
	return new Response(body, {
		headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no', connection: 'keep-alive' }
	});
}
