import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
/**
 * Casts go over their own kept-alive connections, opened before the measured window (warmUp), as a delegate's
 * phone already holds its connection when the vote opens. Opening hundreds of connections in the middle of a
 * burst would measure the kernel's SYN backlog and retransmission timers, not the server.
 */
const postAgent = new http.Agent({ keepAlive: true, maxSockets: 128, maxFreeSockets: 128 });

/** Opens the cast connections to `origin` ahead of time. */
export async function warmUp(origin: string): Promise<void> {
	await Promise.all(
		Array.from({ length: 128 }, () => new Promise<void>((resolve, reject) => {
			http.get(`${origin}/api/health`, { agent: postAgent }, (res) => {
				res.resume();
				res.on('end', () => resolve());
			}).on('error', reject);
		}))
	);
}

/**
 * Holds one SSE stream on node:http and calls back for each data message (its raw JSON text) with its arrival
 * time. Written for load (thousands of streams in one process, sharing the machine with the server under test):
 * plain sockets, string scanning, no per-message promises and no JSON parsing — callers pick out what they need.
 * Resolves once the response headers arrived (the subscription is attached on the server).
 */
export function listen(url: string, headers: Record<string, string>, signal: AbortSignal, onData: (data: string, at: number) => void): Promise<void> {
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
					onData(data, at);
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
		const req = http.request(url, { method: 'POST', agent: postAgent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
			res.resume();
			res.on('end', () => resolve(res.statusCode ?? 0));
		});
		req.on('error', reject);
		req.end(body);
	});
}

/** The `"voted":N` count in an event's JSON text, or 0 (a cheap scan instead of JSON.parse). */
export function votedCount(json: string): number {
	const at = json.indexOf('"voted":');
	if (at < 0) return 0;
	return Number.parseInt(json.slice(at + 8, at + 16), 10) || 0;
}
