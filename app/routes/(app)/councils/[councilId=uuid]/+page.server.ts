import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const councilId = event.params.councilId;
	const [council, sittings] = await Promise.all([
		orPageError(event, () => caller.council.get({ councilId })),
		orPageError(event, () => caller.sitting.list({ councilId }))
	]);
	const roles = event.locals.user?.councils.find((c) => c.councilId === councilId)?.roles ?? [];
	return { council, sittings, canOrganise: roles.includes('chair') || roles.includes('secretary') };
};
