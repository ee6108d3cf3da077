import { redirect } from '@sveltejs/kit';
import { safeNextPath } from '$lib/server/http/safe-next-path';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	// The page sends the browser there after login too (goto), so only a path of this site leaves here.
	const next = safeNextPath(url.searchParams.get('next'));
	if (locals.user) redirect(303, next);
	return { next };
};
