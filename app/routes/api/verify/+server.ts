import { json } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { readUpload } from '$lib/server/resolutions/upload';
import { verifyDocument } from '$lib/server/resolutions/verify';
import type { RequestHandler } from './$types';

/**
 * POST /api/verify — public: the PDF as the body (or multipart field `file`, at most 20 MB). Answers a report per
 * signature and whether the file is an archived revision; unreadable input is a 400 with a Vietnamese message,
 * a file that overruns the verification time budget too, and 503 when the verification workers are all busy.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	const locale = locals.locale;
	try {
		const upload = await readUpload(request);
		if (!upload.ok) return json({ error: { code: upload.key, message: translate(locale, upload.key) } }, { status: upload.status });
		const outcome = await verifyDocument(getDb(), upload.bytes, locale);
		if (!outcome.ok) return json({ error: { code: outcome.code, message: outcome.message } }, { status: outcome.status });
		return json(outcome);
	} catch (err) {
		log.warn('verify request failed', { err });
		return json({ error: { code: 'verify.badRequest', message: translate(locale, 'verify.badRequest') } }, { status: 400 });
	}
};
