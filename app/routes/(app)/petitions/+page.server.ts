import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user!;
	return orPageError(event, async () => ({
		petitions: await serverCaller(event).petition.list(),
		recordIn: user.councils.filter((c) => c.roles.some((r) => r === 'delegate' || r === 'chair' || r === 'secretary')).map((c) => ({ id: c.councilId, name: c.councilName })),
		organiserOf: user.councils.filter((c) => c.roles.some((r) => r === 'chair' || r === 'secretary')).map((c) => c.councilId)
	}));
};
