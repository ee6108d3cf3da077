import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listen } from './sse-listener';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? (server.closeAllConnections(), server.close(() => resolve())) : resolve())));

/** A node:http SSE server that runs `write` on each stream, as the app and the floor do (chunked encoding). */
async function sseServer(write: (res: http.ServerResponse) => void, status = 200): Promise<string> {
	server = http.createServer((_req, res) => {
		res.writeHead(status, { 'content-type': 'text/event-stream' });
		write(res);
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed`;
}

function collect(url: string, signal: AbortSignal) {
	const got: string[] = [];
	return { got, ready: listen(url, {}, signal, (data) => got.push(data)) };
}

const until = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('listen (raw-socket SSE client of the benchmarks)', () => {
	it('delivers each data message once, skipping comments, pings and the connected frame', async () => {
		const url = await sseServer((res) => {
			res.write(': connected\n\n');
			res.write('event: connected\ndata: {"reconnectAfterInactivityMs":25000}\n\n');
			res.write('id: 1\ndata: {"voted":1}\n\n');
			res.write('event: ping\ndata: \n\n');
			res.write('id: 2\ndata: {"voted":2,"q":"Tán thành"}\n\nid: 3\ndata: {"voted":3}\n\n');
		});
		const controller = new AbortController();
		const { got, ready } = collect(url, controller.signal);
		await ready;
		await until(() => got.length >= 3);
		controller.abort();
		expect(got).toEqual(['{"voted":1}', '{"voted":2,"q":"Tán thành"}', '{"voted":3}']);
	});

	it('puts messages back together when chunks and UTF-8 characters are split across writes', async () => {
		const frame = Buffer.from('data: {"t":"Biểu quyết kín — phường Bến Thành"}\n\n', 'utf8');
		const url = await sseServer((res) => {
			// one byte at a time: every chunk header, CRLF and multi-byte character is cut somewhere
			let i = 0;
			const next = () => {
				if (i < frame.length) res.write(frame.subarray(i, ++i), () => setImmediate(next));
			};
			next();
		});
		const controller = new AbortController();
		const { got, ready } = collect(url, controller.signal);
		await ready;
		await until(() => got.length >= 1);
		controller.abort();
		expect(got).toEqual(['{"t":"Biểu quyết kín — phường Bến Thành"}']);
	});

	it('refuses a stream whose status is not 200', async () => {
		const url = await sseServer((res) => res.end(), 401);
		await expect(listen(url, {}, new AbortController().signal, () => {})).rejects.toThrow(/HTTP 401/);
	});
});
