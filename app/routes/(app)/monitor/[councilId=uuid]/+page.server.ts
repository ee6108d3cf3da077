import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => orPageError(event, () => serverCaller(event).monitor.council({ councilId: event.params.councilId }));
