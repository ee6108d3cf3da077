/**
 * Records the body of every HTTP response this test process receives through `fetch` (the HttpClient and
 * direct calls alike), so a test can search all of them for secrets. Bodies are kept as latin1 text, so
 * binary ones (PDFs) are searchable byte for byte; SSE streams are left alone.
 */
export function recordResponses() {
	const bodies: string[] = [];
	const original = globalThis.fetch;
	globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
		const res = await original(input, init);
		if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
			bodies.push(Buffer.from(await res.clone().arrayBuffer()).toString('latin1'));
		}
		return res;
	};
	return {
		bodies,
		restore: () => void (globalThis.fetch = original)
	};
}

/** The forms a secret may take in text: as is, base64, base64url, hex, URL-encoded and JSON-escaped. */
export function encodings(secret: string): string[] {
	const bytes = Buffer.from(secret, 'utf8');
	return [...new Set([secret, bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url'), bytes.toString('hex'), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1), bytes.toString('latin1')])];
}

/** Every secret (by name) that occurs in `text`, in any of its encodings. */
export function leaks(text: string, secrets: Record<string, string>): string[] {
	const found: string[] = [];
	for (const [name, value] of Object.entries(secrets)) {
		for (const form of encodings(value)) if (text.includes(form)) found.push(`${name} (as ${JSON.stringify(form.slice(0, 12))}…)`);
	}
	return found;
}
