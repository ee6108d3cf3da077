import { getDb } from '$lib/server/db';
import { contentDisposition } from '$lib/server/http/content-disposition';
import { UUID, errorResponse, fromError, readDocument } from '$lib/server/sittings/documents';

import type { RequestHandler } from './$types';

/** A sitting's PDF, shown inline (or downloaded with ?download=1), for readers of its council only. */
export const GET: RequestHandler = async ({ params, locals, url, request }) => {
	const locale = locals.locale;
	if (!locals.user) return errorResponse(locale, 401, 'auth.required');
	// Not an id at all (like the uuid matcher of the other file routes); a well-formed unknown id is a 403 (readDocument).
	if (!UUID.test(params.documentId)) return errorResponse(locale, 404, 'document.notFound');
	try {
		const doc = await readDocument(getDb(), locals.user, params.documentId);
		const etag = `"${doc.sha256}"`;
		const headers: Record<string, string> = {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition(url.searchParams.has('download') ? 'attachment' : 'inline', doc.filename),
			'cache-control': 'private, no-cache',
			etag,
			'x-content-sha256': doc.sha256
		};
		if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers });
		return new Response(new Uint8Array(doc.content), { status: 200, headers: { ...headers, 'content-length': String(doc.content.length) } });
	} catch (err) {
		return fromError(locale, err, 'document read failed');
	}
};
