import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { getDb } from '$lib/server/db';
import { councilCrl } from '$lib/server/resolutions/crl';
import type { RequestHandler } from './$types';

/**
 * GET /api/verify/crl/{councilId}.crl — the council CA's current revocation list (DER), the URL its certificates name
 * as their CRL distribution point. Public: validators fetch it without an account.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const crl = await councilCrl(getDb(), params.councilId);
	if (!crl)
		error(404, {
			message: translate(locals.locale, 'error.notFound', { what: 'CRL' })
		});
	return new Response(Buffer.from(crl), {
		headers: {
			'content-type': 'application/pkix-crl',
			'content-disposition': `attachment; filename="hdnd-ca-${params.councilId}.crl"`,
			// Shorter than the reissue interval, so caches never hold a list past a revocation for long.
			'cache-control': 'public, max-age=300'
		}
	});
};
