import http from 'node:http';

/**
 * The floor for the votes benchmark: a bare SSE broadcast server on node:http, no database, no tRPC. Clients
 * subscribe to a topic; a POST to /publish/<topic> writes one message to every subscriber of that topic.
 * With `store`, each message is first kept by it (the durable floor: one durable write, then the broadcast).
 */
export function startFloorServer(store?: (topic: string, body: string) => Promise<void>): Promise<{ url: string; close: () => Promise<void> }> {
	const topics = new Map<string, Set<http.ServerResponse>>();
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://x');
		const [, kind, topic] = url.pathname.split('/');
		if (req.method === 'GET' && kind === 'subscribe' && topic) {
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
			res.write(': connected\n\n');
			const set = topics.get(topic) ?? new Set();
			set.add(res);
			topics.set(topic, set);
			req.on('close', () => set.delete(res));
			return;
		}
		if (req.method === 'POST' && kind === 'publish' && topic) {
			let body = '';
			req.on('data', (d) => (body += d));
			req.on('end', async () => {
				if (store) {
					try {
						await store(topic, body);
					} catch {
						res.writeHead(500).end();
						return;
					}
				}
				const set = topics.get(topic);
				const message = `data: ${body}\n\n`;
				for (const sub of set ?? []) sub.write(message);
				res.writeHead(200, { 'content-type': 'application/json' }).end('{"accepted":true}');
			});
			return;
		}
		res.writeHead(404).end();
	});
	server.keepAliveTimeout = 60_000;
	return new Promise((resolve) =>
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as { port: number };
			resolve({
				url: `http://127.0.0.1:${port}`,
				close: () => {
					server.closeAllConnections();
					return new Promise<void>((r) => server.close(() => r()));
				}
			});
		})
	);
}
