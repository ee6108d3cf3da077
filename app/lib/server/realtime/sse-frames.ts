/**
 * Server-sent event frames in the wire format of tRPC's SSE subscriptions (httpSubscriptionLink reads them):
 * a `connected` event with the client options first, `id` + `data` for each tracked value, `ping` to keep
 * proxies from closing an idle stream, and `return` when the server ends the stream.
 */
const encoder = new TextEncoder();

export const PING_FRAME = encoder.encode('event: ping\ndata: \n\n');
export const RETURN_FRAME = encoder.encode('event: return\ndata: \n\n');

export function connectedFrame(clientOptions: object): Uint8Array {
	return encoder.encode(`event: connected\ndata: ${JSON.stringify(clientOptions)}\n\n`);
}

/** A tracked value (`tracked(id, data)` in tRPC): its id is what the client resumes from. */
export function trackedFrame(id: string, data: unknown): Uint8Array {
	if (/[\0\n\r]/.test(id)) throw new Error('an SSE id cannot hold a line break');
	return encoder.encode(`id: ${id}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * One frame per event object, however many streams send it: a live event is the same object for every
 * subscriber of an instance, so it is serialised once, not once per screen.
 */
export function cachedFrames<E extends object>(toFrame: (event: E) => Uint8Array): (event: E) => Uint8Array {
	const cache = new WeakMap<E, Uint8Array>();
	return (event) => {
		let frame = cache.get(event);
		if (!frame) {
			frame = toFrame(event);
			cache.set(event, frame);
		}
		return frame;
	};
}
