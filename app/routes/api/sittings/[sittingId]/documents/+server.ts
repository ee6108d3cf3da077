import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENT_MB, UUID, assertCanManageDocuments, errorResponse, fromError, storeDocument } from '$lib/server/sittings/documents';

import type { RequestHandler } from './$types';

/** Room for the multipart envelope and the small text fields around the file. */
const ENVELOPE_BYTES = 64 * 1024;

/**
 * Uploads a PDF to a sitting (multipart: `file`, optional `title` and `itemId`). Secretary or chair of the
 * sitting's council only; the type is checked by content and the SHA-256 stored. CSRF: hooks.server.ts.
 */
export const POST: RequestHandler = async ({ request, params, locals }) => {
	const locale = locals.locale;
	if (!locals.user) return errorResponse(locale, 401, 'auth.required');
	if (!UUID.test(params.sittingId)) return errorResponse(locale, 404, 'sitting.notFound');
	const db = getDb();
	try {
		await assertCanManageDocuments(db, locals.user, params.sittingId);
	} catch (err) {
		return fromError(locale, err, 'document upload refused');
	}

	const declared = Number(request.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) {
		return errorResponse(locale, 413, 'document.tooLarge', { maxMb: MAX_DOCUMENT_MB });
	}
	let form: FormData;
	try {
		form = await request.formData();
	} catch (err) {
		const status = (err as { status?: number }).status;
		if (status === 413) {
			// Under 20 MB but refused by the server's own body limit (adapter-node BODY_SIZE_LIMIT, 512 KB by default).
			if (Number.isFinite(declared) && declared <= MAX_DOCUMENT_BYTES + ENVELOPE_BYTES) {
				log.warn('document upload over BODY_SIZE_LIMIT: set BODY_SIZE_LIMIT to at least 21M', { bytes: declared });
				return errorResponse(locale, 413, 'error.tooLarge');
			}
			return errorResponse(locale, 413, 'document.tooLarge', { maxMb: MAX_DOCUMENT_MB });
		}
		return errorResponse(locale, 400, 'document.notPdf');
	}
	const file = form.get('file');
	if (!(file instanceof File) || file.size === 0) return errorResponse(locale, 400, 'document.notPdf');
	if (file.size > MAX_DOCUMENT_BYTES) return errorResponse(locale, 413, 'document.tooLarge', { maxMb: MAX_DOCUMENT_MB });
	const title = form.get('title');
	const itemId = form.get('itemId');
	if (typeof itemId === 'string' && itemId !== '' && !UUID.test(itemId)) return errorResponse(locale, 400, 'sitting.itemNotInSitting');

	try {
		const document = await storeDocument(db, {
			sittingId: params.sittingId,
			itemId: typeof itemId === 'string' && itemId !== '' ? itemId : null,
			title: typeof title === 'string' ? title : null,
			filename: file.name,
			bytes: new Uint8Array(await file.arrayBuffer()),
			uploadedBy: locals.user.id
		});
		return json({ document }, { status: 201 });
	} catch (err) {
		return fromError(locale, err, 'document upload failed');
	}
};
