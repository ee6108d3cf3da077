import { orPageError, serverCaller } from '$lib/server/api/caller';
import { contentDisposition, filenameSlug } from '$lib/server/http/content-disposition';
import type { RequestHandler } from './$types';

/**
 * GET /resolutions/{id}.pdf — the latest (most signed) revision: public once issued, council readers before. Who may
 * read it is `resolution.pdf`'s rule (unknown ids and drafts of other councils get the same answer).
 */
export const GET: RequestHandler = async (event) => {
	const id = event.params.id;
	const pdf = await orPageError(event, () => serverCaller(event).resolution.pdf({ resolutionId: id }));
	// The number keeps its Vietnamese letters (…NQ-HĐND), with an ASCII fallback for old clients (…NQ-HDND).
	const name = `nghi-quyet-${filenameSlug(pdf.number ?? id)}.pdf`;
	return new Response(Buffer.from(pdf.pdfBase64, 'base64'), {
		headers: {
			'content-type': 'application/pdf',
			'content-disposition': contentDisposition('inline', name),
			'cache-control': pdf.status === 'issued' ? 'public, max-age=300' : 'private, no-store',
			'x-content-sha256': pdf.sha256
		}
	});
};
