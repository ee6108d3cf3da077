import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import { councilCsv } from '$lib/server/monitor/council-detail';
import type { RequestHandler } from './$types';

/** The drill-down as CSV: the same procedure (and guard) as the page. */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, { message: translate(event.locals.locale, 'auth.required') });
	const detail = await orPageError(event, () => serverCaller(event).monitor.council({ councilId: event.params.councilId }));
	const l = (k: string) => translate(event.locals.locale, k);
	const csv = councilCsv(detail, {
		council: l('monitor.col.council'),
		month: l('monitor.month'),
		sittings: l('monitor.metric.sittings'),
		votes: l('monitor.metric.votes'),
		resolutions: l('monitor.metric.resolutions'),
		tasksDue: l('monitor.metric.tasksDue'),
		tasksDone: l('monitor.metric.tasksDone'),
		petitions: l('monitor.metric.petitions'),
		number: '#',
		title: l('consultation.field.title'),
		startsAt: l('sui.startsAt'),
		status: l('monitor.col.status')
	});
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="hdnd-${detail.row.code}.csv"`, 'cache-control': 'no-store' }
	});
};
