import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/** "Kiểm tra biên bản": for the council's readers, as the sitting's own page (sitting.get decides). */
export const load: PageServerLoad = async (event) => {
	const detail = await orPageError(event, () => serverCaller(event).sitting.get({ sittingId: event.params.sittingId }));
	return { sittingId: detail.id, number: detail.number, title: detail.title };
};
