import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { READERS, checkCouncilAccess } from '$lib/server/api/procedures';
import { getDb } from '$lib/server/db';
import { contentDisposition } from '$lib/server/http/content-disposition';
import { minutesCsv } from '$lib/server/minutes/csv';
import { minutesPdf } from '$lib/server/minutes/pdf';
import { voteMinutes } from '$lib/server/minutes/vote-minutes';
import type { RequestHandler } from './$types';

/** GET /api/minutes/{sittingId}/minutes.pdf | minutes.csv — the minutes of votes, for readers of the council. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const t = (k: string) => translate(locals.locale, k);
	if (!locals.user) error(401, { message: t('auth.required') });
	const db = getDb();
	const sitting = await db.selectFrom('sittings').select(['council_id', 'number']).where('id', '=', params.sittingId).executeTakeFirst();
	// An unknown sitting is refused like another council's (403), as the procedures do: ids cannot be probed.
	if (!sitting) error(403, { message: t('auth.forbidden') });
	try {
		checkCouncilAccess(locals.user, sitting.council_id, READERS);
	} catch {
		error(403, { message: t('auth.forbidden') });
	}
	const minutes = await voteMinutes(db, params.sittingId, locals.locale);
	const name = `bien-ban-bieu-quyet-ky-hop-${sitting.number}`;
	if (params.file === 'minutes.csv') {
		return new Response(minutesCsv(minutes, locals.locale), {
			headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition('attachment', `${name}.csv`) }
		});
	}
	if (params.file === 'minutes.pdf') {
		return new Response(Buffer.from(await minutesPdf(minutes, locals.locale)), {
			headers: { 'content-type': 'application/pdf', 'content-disposition': contentDisposition('inline', `${name}.pdf`) }
		});
	}
	error(404, { message: t('sitting.notFound') });
};
