import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { writeSseResponse, type SseOptions } from './sse-response';
import type { EventSink } from './topic-fanout';

const encoder = new TextEncoder();
const frame = (n: number) => encoder.encode(`id: ${n}\ndata: {"n":${n}}\n\n`);
const options: SseOptions = { clientOptions: { reconnectAfterInactivityMs: 25_000 }, pingIntervalMs: 60_000 };

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

/** A real node:http server whose one stream is wired to a sink we drive by hand; and whether it was detached. */
async function wired(opts: SseOptions = options) {
	let sink: EventSink<number> | undefined;
	let detached = false;
	let attached!: () => void;
	const ready = new Promise<void>((resolve) => (attached = resolve));
	server = http.createServer((_req, res) => {
		writeSseResponse<number>(res, (s) => ((sink = s), attached(), () => void (detached = true)), frame, opts);
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
	return { url, ready, sink: () => sink!, detached: () => detached };
}

const until = async (check: () => boolean) => {
	for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('writeSseResponse', () => {
	it('writes connected, each delivered event, and return when the server ends the stream', async () => {
		const w = await wired();
		const response = await fetch(w.url);
		await w.ready;
		expect(response.headers.get('content-type')).toBe('text/event-stream');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		w.sink().deliver(1);
		w.sink().deliver(2);
		w.sink().close();
		expect(await response.text()).toBe('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\nid: 1\ndata: {"n":1}\n\nid: 2\ndata: {"n":2}\n\nevent: return\ndata: \n\n');
		expect(w.detached()).toBe(true);
	});

	it('detaches from the hub when the client goes away', async () => {
		const w = await wired();
		const controller = new AbortController();
		await fetch(w.url, { signal: controller.signal });
		await w.ready;
		controller.abort();
		await until(() => w.detached());
		expect(w.detached()).toBe(true);
		w.sink().deliver(1); // nothing to write to any more, and no error
	});

	it('cuts off a client that stops reading, so it reconnects and resumes from the table', async () => {
		const w = await wired({ ...options, maxQueuedBytes: 64 * 1024 });
		const response = await fetch(w.url); // its body is never read
		await w.ready;
		for (let n = 1; n <= 400_000 && !w.detached(); n++) w.sink().deliver(n);
		expect(w.detached()).toBe(true);
		await expect(response.text()).rejects.toThrow();
	});
});

describe('writeSseResponse pings', () => {
	it('pings a stream that has been quiet for its interval, and not one that events keep busy', async () => {
		const quiet = { ...options, pingIntervalMs: 300 };
		let busySink: EventSink<number> | undefined;
		let attachedBoth!: () => void;
		let attachedCount = 0;
		const bothReady = new Promise<void>((resolve) => (attachedBoth = resolve));
		server = http.createServer((req, res) => {
			writeSseResponse<number>(res, (s) => {
				if (req.url === '/busy') busySink = s;
				if (++attachedCount === 2) attachedBoth();
				return () => {};
			}, frame, quiet);
		});
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const controller = new AbortController();
		const read = async (path: string) => {
			let text = '';
			const res = await fetch(base + path, { signal: controller.signal });
			const reader = res.body!.getReader();
			void (async () => {
				for (;;) {
					const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
					if (done) return;
					text += new TextDecoder().decode(value);
				}
			})();
			return () => text;
		};
		const idleText = await read('/idle');
		const busyText = await read('/busy');
		await bothReady;
		// Events every 100 ms for 2.5 s (more than two ping ticks) on one stream; nothing on the other.
		for (let n = 1; n <= 25; n++) {
			busySink!.deliver(n);
			await new Promise((r) => setTimeout(r, 100));
		}
		controller.abort();
		expect(idleText()).toContain('event: ping');
		expect(busyText()).toContain('id: 25');
		// (Its first ping may fall before the first event: streams start at a random point of their interval.)
		expect(busyText().slice(busyText().indexOf('id: 1\n'))).not.toContain('event: ping');
	});
});
