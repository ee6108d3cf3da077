import type { AuthUser } from '../auth/current-user';

// Request bodies are bounded per route BEFORE anything reads or parses them (hooks.server.ts). adapter-node's
// own BODY_SIZE_LIMIT (21M, scripts/start.ts) is global and exists for the few routes that take files; without
// this, anyone could make tRPC parse 20 MB of nested JSON on the event loop (about 3 s of JSON.parse alone),
// stalling every vote of the city meanwhile.

/** Every route but those below: far above any form post and any tRPC input but the CSV import. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * `admin.importDelegates` takes up to 1,000,000 characters of CSV (routers/admin.ts). In JSON over UTF-8 a
 * character of a CSV is at most 3 bytes (Vietnamese letters; `"` and line ends escape to 2), plus the envelope.
 * Granted to signed-in admins only, so an anonymous caller never gets more than DEFAULT_BODY_LIMIT parsed.
 */
export const CSV_IMPORT_BODY_LIMIT = 3 * 1_000_000 + 64 * 1024;
const CSV_IMPORT_PROCEDURE = 'admin.importDelegates';

/**
 * Routes that take files of up to 20 MB and enforce their own, exact limit while reading: document upload,
 * the public verifier (API and the /verify page's form).
 */
const FILE_ROUTES: readonly RegExp[] = [/^\/api\/sittings\/[^/]+\/documents\/?$/, /^\/api\/verify\/?$/, /^\/verify\/?$/];

/** The most bytes a request's body may have, or null when the route bounds its body itself. */
export function bodyLimitFor(pathname: string, user: AuthUser | null): number | null {
	if (FILE_ROUTES.some((route) => route.test(pathname))) return null;
	if (user?.cityRoles.includes('admin') && pathname.startsWith('/api/trpc/')) {
		// A batched call names every procedure of the batch: /api/trpc/a.b,c.d?batch=1 (tRPC URL-decodes the path).
		let procedures: string[] = [];
		try {
			procedures = decodeURIComponent(pathname.slice('/api/trpc/'.length)).replace(/\/+$/, '').split(',');
		} catch {
			// malformed: the default limit, and tRPC refuses it anyway
		}
		if (procedures.includes(CSV_IMPORT_PROCEDURE)) return CSV_IMPORT_BODY_LIMIT;
	}
	return DEFAULT_BODY_LIMIT;
}

/**
 * The request if its body fits `limit`, else null (answer 413 then, and close the connection: the rest of the
 * body is left unread). A declared Content-Length is trusted — Node's parser never passes more bytes than it
 * declares — so an oversized body is refused without reading a byte of it. A chunked body declares nothing: it
 * is read here up to the limit, and the request handed on is a copy holding those bytes.
 */
export async function boundedRequest(request: Request, limit: number): Promise<Request | null> {
	const declared = request.headers.get('content-length');
	if (declared !== null) return Number(declared) <= limit ? request : null;
	if (!request.body) return request;
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const { done, value } = await reader.read();
		if (done) break;
		size += value.byteLength;
		if (size > limit) {
			// Not cancel(): adapter-node would destroy the socket, and the caller would never see the 413.
			reader.releaseLock();
			return null;
		}
		chunks.push(value);
	}
	return new Request(request.url, { method: request.method, headers: request.headers, body: Buffer.concat(chunks), signal: request.signal });
}
