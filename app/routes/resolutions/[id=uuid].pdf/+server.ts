import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { READERS, checkCouncilAccess } from '$lib/server/api/procedures';
import { getDb } from '$lib/server/db';
import { contentDisposition, filenameSlug } from '$lib/server/http/content-disposition';
import { latestPdf } from '$lib/server/resolutions/service';
import type { RequestHandler } from './$types';

/** GET /resolutions/{id}.pdf — the latest (most signed) revision: public once issued, council readers before. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const t = (k: string) => translate(locals.locale, k);
	const found = await latestPdf(getDb(), params.id);
	// Issued resolutions are public. Anything else — a draft, or an id that does not exist — gets the same answer
	// until the caller proves to read that council (401, then 403, as the procedures), so drafts cannot be probed.
	if (!found || found.status !== 'issued') {
		if (!locals.user) error(401, { message: t('auth.required') });
		if (!found) error(403, { message: t('auth.forbidden') });
		try {
			checkCouncilAccess(locals.user, found.council_id, READERS);
		} catch {
			error(403, { message: t('auth.forbidden') });
		}
	}
	if (!found.revision) error(404, { message: t('resolution.notFound') });
	// The number keeps its Vietnamese letters (…NQ-HĐND), with an ASCII fallback for old clients (…NQ-HDND).
	const name = `nghi-quyet-${filenameSlug(found.number ?? found.id)}.pdf`;
	return new Response(Buffer.from(found.revision.pdf), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('inline', name),
			'cache-control': found.status === 'issued' ? 'public, max-age=300' : 'private, no-store',
			'x-content-sha256': found.revision.sha256
		}
	});
};
