import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import { consultationCsv } from '$lib/server/consultations/service';
import { contentDisposition } from '$lib/server/http/content-disposition';
import type { RequestHandler } from './$types';

/** The consultation's result and every answer as CSV (readers of the council, as consultation.result). */
export const GET: RequestHandler = async (event) => {
	if (!event.locals.user) error(401, { message: translate(event.locals.locale, 'auth.required') });
	const result = await orPageError(event, () => serverCaller(event).consultation.result({ consultationId: event.params.consultationId }));
	const l = (k: string) => translate(event.locals.locale, k);
	const csv = consultationCsv(result, {
		title: l('consultation.field.title'),
		question: l('consultation.field.question'),
		deadline: l('consultation.field.deadline'),
		status: l('monitor.col.status'),
		seated: l('council.seated'),
		agree: l('consultation.choice.agree'),
		disagree: l('consultation.choice.disagree'),
		comment: l('consultation.choice.comment'),
		notAnswered: l('consultation.notAnswered'),
		username: l('consultation.csv.username'),
		fullName: l('consultation.csv.fullName'),
		choice: l('consultation.answers'),
		commentText: l('consultation.comment'),
		answeredAt: l('consultation.csv.answeredAt')
	});
	return new Response(csv, {
		headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': contentDisposition('attachment', `lay-y-kien-${result.consultationId.slice(0, 8)}.csv`), 'cache-control': 'no-store' }
	});
};
