import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { getDb } from '$lib/server/db';
import { councilCaPem } from '$lib/server/resolutions/pki';
import type { RequestHandler } from './$types';

/** GET /api/verify/ca/{councilId}.pem — the council's CA certificate, for validators (Adobe, pdfsig, openssl). */
export const GET: RequestHandler = async ({ params, locals }) => {
	const pem = await councilCaPem(getDb(), params.councilId);
	if (!pem) error(404, { message: translate(locals.locale, 'error.notFound', { what: 'CA' }) });
	return new Response(pem, { headers: { 'content-type': 'application/x-pem-file', 'content-disposition': `attachment; filename="hdnd-ca-${params.councilId}.pem"` } });
};
