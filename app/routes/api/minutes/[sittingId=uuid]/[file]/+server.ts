import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import { contentDisposition } from '$lib/server/http/content-disposition';
import { minutesCsv } from '$lib/server/minutes/csv';
import { minutesPdf } from '$lib/server/minutes/pdf';
import type { RequestHandler } from './$types';

const FILES = new Set(['minutes.pdf', 'minutes.csv']);

/**
 * GET /api/minutes/{sittingId}/minutes.pdf | minutes.csv — the minutes of votes, for readers of the council. Who may
 * read them is `sitting.minutes`'s rule: an unknown sitting is answered exactly as another council's (403).
 */
export const GET: RequestHandler = async (event) => {
	const { params, locals } = event;
	const { number, minutes } = await orPageError(event, () => serverCaller(event).sitting.minutes({ sittingId: params.sittingId }));
	if (!FILES.has(params.file)) error(404, { message: translate(locals.locale, 'sitting.notFound') });
	const name = `bien-ban-bieu-quyet-ky-hop-${number}`;
	if (params.file === 'minutes.csv') {
		return new Response(minutesCsv(minutes, locals.locale), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition('attachment', `${name}.csv`) }
		});
	}
	return new Response(Buffer.from(await minutesPdf(minutes, locals.locale)), {
		headers: { 'content-type': 'application/pdf', 'content-disposition': contentDisposition('inline', `${name}.pdf`) }
	});
};
