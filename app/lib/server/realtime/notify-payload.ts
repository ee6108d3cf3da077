/**
 * The NOTIFY payload of a stored event: `topic:seq`, followed by `:` and the event's JSON when it fits
 * PostgreSQL's payload limit (under 8,000 bytes). Listeners then fan the event out without reading it back;
 * a payload without the body (or one they cannot parse) makes them read the table instead.
 */
const MAX_PAYLOAD_BYTES = 7_900;

export function encodeNotifyPayload(topic: string, seq: number, body: unknown): string {
	const head = `${topic}:${seq}`;
	const full = `${head}:${JSON.stringify(body)}`;
	return Buffer.byteLength(full) < MAX_PAYLOAD_BYTES ? full : head;
}

export interface NotifyPayload {
	topic: string;
	seq: number;
	body: unknown;
}

export function decodeNotifyPayload(payload: string): NotifyPayload | null {
	const first = payload.indexOf(':');
	if (first <= 0) return null;
	const second = payload.indexOf(':', first + 1);
	const seq = Number(payload.slice(first + 1, second < 0 ? undefined : second));
	if (!Number.isSafeInteger(seq) || seq <= 0) return null;
	let body: unknown = null;
	if (second >= 0) {
		try {
			body = JSON.parse(payload.slice(second + 1));
		} catch {
			body = null;
		}
	}
	return { topic: payload.slice(0, first), seq, body };
}
