/** A minimal API client over real HTTP, as a browser or an outside system would call the running app. */
export class HttpClient {
	cookie = '';

	constructor(readonly baseUrl: string) {}

	private headers(): Record<string, string> {
		return { 'content-type': 'application/json', ...(this.cookie ? { cookie: this.cookie } : {}) };
	}

	async mutation<T = unknown>(path: string, input?: unknown): Promise<T> {
		const res = await fetch(`${this.baseUrl}/api/trpc/${path}`, { method: 'POST', headers: this.headers(), body: JSON.stringify(input ?? null) });
		const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('nts_session='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const body = await res.json();
		if (body.error) throw Object.assign(new Error(body.error.message), { status: res.status, data: body.error.data });
		return body.result.data as T;
	}

	async query<T = unknown>(path: string, input?: unknown): Promise<T> {
		const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
		const res = await fetch(`${this.baseUrl}/api/trpc/${path}${qs}`, { headers: this.headers() });
		const body = await res.json();
		if (body.error) throw Object.assign(new Error(body.error.message), { status: res.status, data: body.error.data });
		return body.result.data as T;
	}

	login(username: string, password = 'demo') {
		return this.mutation('auth.login', { username, password });
	}
}

export interface SseMessage {
	id: string | null;
	event: string | null;
	data: unknown;
}

/**
 * Reads a tRPC SSE subscription the way EventSource does (Node 20 has none), yielding each message with its
 * id. Pings and the connection's own "connected" message are passed over.
 */
export async function* subscribe(client: HttpClient, path: string, input: unknown, signal: AbortSignal): AsyncGenerator<SseMessage> {
	const url = `${client.baseUrl}/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(input))}`;
	const res = await fetch(url, { headers: { accept: 'text/event-stream', cookie: client.cookie }, signal });
	if (!res.ok || !res.body) throw new Error(`subscription failed: HTTP ${res.status} ${await res.text()}`);
	const decoder = new TextDecoder();
	let buffer = '';
	try {
		for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
			buffer += decoder.decode(chunk, { stream: true });
			let end: number;
			while ((end = buffer.indexOf('\n\n')) >= 0) {
				const block = buffer.slice(0, end);
				buffer = buffer.slice(end + 2);
				let id: string | null = null;
				let event: string | null = null;
				const data: string[] = [];
				for (const line of block.split('\n')) {
					if (line.startsWith('id:')) id = line.slice(3).trim();
					else if (line.startsWith('event:')) event = line.slice(6).trim();
					else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
				}
				if (event === 'ping' || event === 'connected' || data.length === 0) continue;
				if (event === 'serialized-error') throw new Error(`subscription error: ${data.join('\n')}`);
				yield { id, event, data: JSON.parse(data.join('\n')) };
			}
		}
	} catch (err) {
		if (!signal.aborted) throw err;
	}
}
