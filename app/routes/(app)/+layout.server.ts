import { redirect } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';

/** Every page in this group is for signed-in users; the API checks each call again on its own. */
export const load: LayoutServerLoad = ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
	return { user: locals.user };
};
