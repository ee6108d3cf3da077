import http from 'node:http';
import net from 'node:net';
import { StringDecoder } from 'node:string_decoder';

/**
 * Casts go over their own kept-alive connections, opened before the measured window (warmUp), as a delegate's
 * phone already holds its connection when the vote opens. Opening hundreds of connections in the middle of a
 * burst would measure the kernel's SYN backlog and retransmission timers, not the server. There are more of them
 * than casts in flight at any moment, so a cast never queues in this client for a free connection (every
 * delegate's phone has its own).
 */
const CAST_CONNECTIONS = 512;
const postAgent = new http.Agent({ keepAlive: true, maxSockets: CAST_CONNECTIONS, maxFreeSockets: CAST_CONNECTIONS });

/** One request to the app's health check over `agent`: it opens a connection the agent then keeps. */
function health(origin: string, agent: http.Agent): Promise<void> {
	return new Promise<void>((resolve, reject) => {
		http.get(`${origin}/api/health`, { agent }, (res) => {
			res.resume();
			res.on('end', () => resolve());
		}).on('error', reject);
	});
}

/** Opens the cast connections to `origin` ahead of time. */
export async function warmUp(origin: string): Promise<void> {
	await Promise.all(Array.from({ length: CAST_CONNECTIONS }, () => health(origin, postAgent)));
}

/**
 * A kept-alive connection of one's own, as each delegate's phone holds one: where the app holds answers for
 * seconds (a secret ballot waits for its proof check), thousands of casts are in flight at once, and a shared
 * pool of connections would queue them in this client. Open it before the window with `connectAhead`.
 */
export function ownConnection(): http.Agent {
	return new http.Agent({ keepAlive: true, maxSockets: 1, maxFreeSockets: 1 });
}

/** Opens each agent's connection to `origin`, a few hundred at a time (the server's accept queue is not measured). */
export async function connectAhead(origin: string, agents: http.Agent[]): Promise<void> {
	for (let i = 0; i < agents.length; i += 400) await Promise.all(agents.slice(i, i + 400).map((agent) => health(origin, agent)));
}

/**
 * Holds one SSE stream and calls back for each data message (its raw JSON text) with its arrival time. Written
 * for load — thousands of streams in one process, sharing the machine with the server under test: a plain TCP
 * socket speaking HTTP/1.1 itself (no node:http parser, no IncomingMessage stream per message) that reads into
 * one shared buffer (`onread`: no stream machinery and no new Buffer per read), string scanning, no JSON
 * parsing — callers pick out what they need. Resolves once the response headers arrived
 * (the subscription is attached on the server); rejects if the status is not 200.
 */
export function listen(url: string, headers: Record<string, string>, signal: AbortSignal, onData: (data: string, at: number) => void): Promise<void> {
	const target = new URL(url);
	return new Promise((resolve, reject) => {
		let pending: Buffer | null = null;
		let answered = false;
		const onBytes = (chunk: Buffer) => {
			const at = performance.now();
			if (answered) return body.push(chunk, at);
			pending = pending ? Buffer.concat([pending, chunk]) : Buffer.from(chunk); // the read buffer is reused
			const end = pending.indexOf('\r\n\r\n');
			if (end < 0) return;
			answered = true;
			const status = Number(pending.toString('latin1', 9, 12));
			if (status !== 200) {
				reject(new Error(`SSE ${url}: HTTP ${status}`));
				socket.destroy();
				return;
			}
			body.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(pending.toString('latin1', 0, end));
			resolve();
			if (end + 4 < pending.length) body.push(pending.subarray(end + 4), at);
			pending = null;
		};
		const socket = net.connect({
			port: Number(target.port || 80),
			host: target.hostname,
			onread: {
				buffer: readBuffer,
				callback: (bytes: number, buf: Uint8Array) => {
					onBytes(Buffer.from(buf.buffer, buf.byteOffset, bytes));
					return true; // keep reading
				}
			}
		});
		socket.setNoDelay(true);
		const onAbort = () => socket.destroy();
		signal.addEventListener('abort', onAbort, { once: true });
		const head = [`GET ${target.pathname}${target.search} HTTP/1.1`, `host: ${target.host}`, 'accept: text/event-stream', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
		socket.write(`${head.join('\r\n')}\r\n\r\n`);
		const body = new ChunkedBody((text, at) => {
			for (const block of text) {
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
		socket.on('error', (err) => {
			if (!answered && !signal.aborted) reject(err);
		});
		socket.on('close', () => {
			signal.removeEventListener('abort', onAbort);
			if (!answered && !signal.aborted) reject(new Error(`SSE ${url}: closed before the response`));
		});
	});
}

/** Every stream reads into this one buffer; what must outlive a read is copied out of it. */
const readBuffer = Buffer.alloc(64 * 1024);

/**
 * An HTTP/1.1 response body, chunked or not, turned back into text and cut into SSE blocks (the text between
 * blank lines). Chunk sizes count bytes, so the bytes are unframed first and only then decoded as UTF-8.
 */
class ChunkedBody {
	chunked = true;
	private buffer: Buffer | null = null;
	private left = 0; // bytes of the current chunk's data still to come
	private crlf = 0; // bytes of the CRLF after a chunk's data still to skip
	private readonly decoder = new StringDecoder('utf8');
	private text = '';

	constructor(private readonly onBlocks: (blocks: string[], at: number) => void) {}

	push(bytes: Buffer, at: number): void {
		if (!this.chunked) this.text += this.decoder.write(bytes);
		else {
			const buf = this.buffer ? Buffer.concat([this.buffer, bytes]) : bytes;
			let pos = 0;
			while (pos < buf.length) {
				if (this.crlf > 0) {
					const skip = Math.min(this.crlf, buf.length - pos);
					pos += skip;
					this.crlf -= skip;
				} else if (this.left > 0) {
					const take = Math.min(this.left, buf.length - pos);
					this.text += this.decoder.write(buf.subarray(pos, pos + take));
					pos += take;
					this.left -= take;
					if (this.left === 0) this.crlf = 2;
				} else {
					const lineEnd = buf.indexOf('\r\n', pos);
					if (lineEnd < 0) break;
					this.left = Number.parseInt(buf.toString('latin1', pos, lineEnd), 16) || 0;
					pos = lineEnd + 2;
					if (this.left === 0) this.crlf = 2; // the last chunk (the stream ended)
				}
			}
			this.buffer = pos < buf.length ? Buffer.from(buf.subarray(pos)) : null; // a copy: reads reuse their buffer
		}
		const cut = this.text.lastIndexOf('\n\n');
		if (cut < 0) return;
		const blocks = this.text.slice(0, cut).split('\n\n');
		this.text = this.text.slice(cut + 2);
		this.onBlocks(blocks, at);
	}
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

export interface JsonAnswer {
	status: number;
	json: unknown;
	/** The answer's Retry-After header, if it has one. */
	retryAfter: string | null;
}

/** No answer (nor any byte of one) this long: the request fails, so that a run ends even if the app hangs. */
const ANSWER_TIMEOUT_MS = 300_000;

/** A request answered with JSON, over `agent` (default: Node's global agent). */
export function requestJson(method: 'GET' | 'POST', url: string, body: string | null, headers: Record<string, string>, agent?: http.Agent): Promise<JsonAnswer> {
	const sent = body === null ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, agent, headers: { ...sent, ...headers } }, (res) => {
			let text = '';
			res.setEncoding('utf8');
			res.on('data', (chunk: string) => (text += chunk));
			res.on('end', () => {
				try {
					const retryAfter = res.headers['retry-after'];
					resolve({ status: res.statusCode ?? 0, json: JSON.parse(text), retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
				} catch (error) {
					reject(error);
				}
			});
		});
		req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer in ${ANSWER_TIMEOUT_MS / 1000} s`)));
		req.on('error', reject);
		req.end(body ?? undefined);
	});
}

/** The `"voted":N` count in an event's JSON text, or 0 (a cheap scan instead of JSON.parse). */
export function votedCount(json: string): number {
	const at = json.indexOf('"voted":');
	if (at < 0) return 0;
	return Number.parseInt(json.slice(at + 8, at + 16), 10) || 0;
}
