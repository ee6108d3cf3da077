import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	council: await orPageError(event, () => serverCaller(event).council.get({ councilId: event.params.councilId }))
});
