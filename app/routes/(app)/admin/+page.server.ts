import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	if (!event.locals.user?.cityRoles.includes('admin')) error(403, { message: translate(event.locals.locale, 'auth.forbidden') });
	const caller = serverCaller(event);
	return orPageError(event, async () => ({ councils: await caller.council.list(), users: await caller.admin.listUsers({ q: '', limit: 20 }) }));
};
