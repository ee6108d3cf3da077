import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const councilId = event.params.councilId;
	const [council, resolutions, passedVotes] = await Promise.all([
		orPageError(event, () => caller.council.get({ councilId })),
		orPageError(event, () => caller.resolution.list({ councilId })),
		orPageError(event, () => caller.resolution.passedVotes({ councilId }))
	]);
	// What the page offers (buttons); each action is authorised again by its procedure.
	const roles = event.locals.user?.councils.find((c) => c.councilId === councilId)?.roles ?? [];
	return {
		council,
		resolutions,
		passedVotes,
		isChair: roles.includes('chair'),
		isDrafter: roles.includes('chair') || roles.includes('secretary'),
		isClerk: roles.includes('clerk')
	};
};
