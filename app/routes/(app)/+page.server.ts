import { serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	// The home page still shows the user's councils if the sittings cannot be read right now.
	const upcoming = await serverCaller(event)
		.sitting.upcoming()
		.catch(() => []);
	return { memberships: event.locals.user?.councils ?? [], upcoming };
};
