import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/** A counting committee member's screen (issue 17): for the council's readers (the setup decides who is a member). */
export const load: PageServerLoad = async (event) => {
	const detail = await orPageError(event, () => serverCaller(event).sitting.get({ sittingId: event.params.sittingId }));
	return { sittingId: detail.id, setupId: event.params.setupId, number: detail.number, title: detail.title, userId: event.locals.user!.id };
};
