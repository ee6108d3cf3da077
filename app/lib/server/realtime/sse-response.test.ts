import { describe, expect, it } from 'vitest';
import { sseResponse } from './sse-response';
import type { EventSink } from './topic-fanout';

const encoder = new TextEncoder();
const frame = (n: number) => encoder.encode(`id: ${n}\ndata: {"n":${n}}\n\n`);
const options = { clientOptions: { reconnectAfterInactivityMs: 25_000 }, pingIntervalMs: 60_000 };

/** A response wired to a sink we drive by hand, and whether it was detached. */
function wired() {
	let sink!: EventSink<number>;
	let detached = false;
	const response = sseResponse<number>((s) => ((sink = s), () => void (detached = true)), frame, options);
	return { response, sink: () => sink, detached: () => detached };
}

async function readAll(response: Response): Promise<string> {
	return new TextDecoder().decode(await response.arrayBuffer());
}

describe('sseResponse', () => {
	it('writes connected, each delivered event, and return when the server ends the stream', async () => {
		const w = wired();
		expect(w.response.headers.get('content-type')).toBe('text/event-stream');
		w.sink().deliver(1);
		w.sink().deliver(2);
		w.sink().close();
		expect(await readAll(w.response)).toBe('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\nid: 1\ndata: {"n":1}\n\nid: 2\ndata: {"n":2}\n\nevent: return\ndata: \n\n');
		expect(w.detached()).toBe(true);
	});

	it('detaches from the hub when the client goes away', async () => {
		const w = wired();
		await w.response.body!.cancel();
		expect(w.detached()).toBe(true);
		w.sink().deliver(1); // nothing to write to any more, and no error
	});

	it('cuts off a client that stops reading, so it reconnects and resumes from the table', async () => {
		const w = wired();
		for (let n = 1; n <= 5_002; n++) w.sink().deliver(n);
		await expect(readAll(w.response)).rejects.toThrow('client too slow');
		expect(w.detached()).toBe(true);
	});
});
