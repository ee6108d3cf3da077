import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const conference = await orPageError(event, () => serverCaller(event).conference.get({ conferenceId: event.params.conferenceId }));
	if (!conference.mySite) error(403, { message: translate(event.locals.locale, 'media.conference.siteNotInvited') });
	return { conference, mySite: conference.mySite };
};
