import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
	councils: await orPageError(event, () => serverCaller(event).council.list())
});
