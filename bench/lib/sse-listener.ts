/**
 * Holds one SSE stream and calls back for each data message with its arrival time. Written for load: no
 * async iterator per message, one decoder per stream.
 */
export async function listen(url: string, headers: Record<string, string>, signal: AbortSignal, onData: (data: unknown, at: number) => void): Promise<void> {
	const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal });
	if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
	const reader = res.body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	void (async () => {
		try {
			for (;;) {
				const { value, done } = await reader.read();
				if (done) return;
				const at = performance.now();
				buffer += decoder.decode(value, { stream: true });
				let end: number;
				while ((end = buffer.indexOf('\n\n')) >= 0) {
					const block = buffer.slice(0, end);
					buffer = buffer.slice(end + 2);
					const dataLines = block.split('\n').filter((l) => l.startsWith('data:'));
					if (dataLines.length === 0 || block.includes('event: ping') || block.includes('event: connected')) continue;
					onData(JSON.parse(dataLines.map((l) => l.slice(5).trimStart()).join('\n')), at);
				}
			}
		} catch {
			// aborted at the end of the run
		}
	})();
}
