import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const conferenceId = event.params.conferenceId;
	const [conference, sites] = await Promise.all([
		orPageError(event, () => caller.conference.get({ conferenceId })),
		orPageError(event, () => caller.conference.sites({ conferenceId, perPage: 200 }))
	]);
	const user = event.locals.user!;
	const isChair = !!user.councils.find((c) => c.councilId === conference.councilId)?.roles.includes('chair');
	return { conference, sites, isChair, me: user.id };
};
