import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

/**
 * Holds one SSE stream on node:http and calls back for each data message with its arrival time. Written for
 * load (thousands of streams in one process): plain sockets, string scanning, no per-message promises.
 * Resolves once the response headers arrived (the subscription is attached on the server).
 */
export function listen(url: string, headers: Record<string, string>, signal: AbortSignal, onData: (data: unknown, at: number) => void): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { agent, headers: { accept: 'text/event-stream', ...headers }, signal }, (res) => {
			if (res.statusCode !== 200) {
				reject(new Error(`SSE ${url}: HTTP ${res.statusCode}`));
				res.resume();
				return;
			}
			res.setEncoding('utf8');
			let buffer = '';
			res.on('data', (chunk: string) => {
				const at = performance.now();
				buffer += chunk;
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					if (block.startsWith(':') || block.includes('event: ping') || block.includes('event: connected')) continue;
					const start = block.indexOf('data:');
					if (start < 0) continue;
					const lineEnd = block.indexOf('\n', start);
					const data = block.slice(start + 5, lineEnd < 0 ? undefined : lineEnd).trim();
					// tRPC ends a stream with an empty `return` message; only JSON data is an event.
					if (!data || block.includes('event: return')) continue;
					onData(JSON.parse(data), at);
				}
			});
			res.on('error', () => {});
			resolve();
		});
		req.on('error', (err) => {
			if (!signal.aborted) reject(err);
		});
	});
}

/** A POST on the same keep-alive agent; resolves with the status code. */
export function post(url: string, body: string, headers: Record<string, string> = {}): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}
