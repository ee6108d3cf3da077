import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/**
 * The resolution editor of a submission item: its draft (the newest one, or `?id=` for another of the same item)
 * or a new one. Only the council's drafters (chair, secretary) open it, as `resolution.draft` allows only them.
 */
export const load: PageServerLoad = async (event) => {
	const t = (key: string) => translate(event.locals.locale, key);
	const user = event.locals.user;
	if (!user) error(401, { message: t('auth.required') });
	const caller = serverCaller(event);
	const sitting = await orPageError(event, () => caller.sitting.get({ sittingId: event.params.sittingId }));
	const roles = user.councils.find((c) => c.councilId === sitting.councilId)?.roles ?? [];
	if (!roles.includes('chair') && !roles.includes('secretary')) error(403, { message: t('auth.forbidden') });
	const item = sitting.agenda.find((i) => i.id === event.params.itemId);
	if (!item) error(404, { message: t('resolution.itemNotFound') });
	if (item.kind !== 'submission') error(400, { message: t('resolution.itemNotSubmission') });

	const ofItem = (await orPageError(event, () => caller.resolution.list({ councilId: sitting.councilId }))).filter((r) => r.itemId === item.id);
	const wanted = event.url.searchParams.get('id');
	// The list is newest first: without ?id=, the newest draft of the item is the one to go on with.
	const resolution = wanted ? ofItem.find((r) => r.id === wanted) : ofItem.find((r) => r.status === 'draft');
	if (wanted && !resolution) error(404, { message: t('resolution.notFound') });

	return {
		sitting: { id: sitting.id, number: sitting.number, title: sitting.title, councilId: sitting.councilId, councilName: sitting.councilName },
		item: { id: item.id, position: item.position, title: item.title },
		resolution: resolution ? { id: resolution.id, title: resolution.title, body: resolution.body, status: resolution.status, number: resolution.number } : null,
		others: ofItem.filter((r) => r.id !== resolution?.id).map((r) => ({ id: r.id, title: r.title, status: r.status, number: r.number }))
	};
};
