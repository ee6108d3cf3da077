import { redirect } from '@sveltejs/kit';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/** The site operator's start page: straight into the one current conference, else the list of invitations. */
export const load: PageServerLoad = async (event) => {
	const conferences = (await orPageError(event, () => serverCaller(event).conference.list())).filter((c) => c.mySiteCode && c.status !== 'ended');
	if (conferences.length === 1) redirect(303, `/site/${conferences[0].id}`);
	return { conferences };
};
