import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/** The city's dashboard: the procedure itself refuses anyone but the monitor and the administrator. */
export const load: PageServerLoad = async (event) => orPageError(event, () => serverCaller(event).monitor.overview());
