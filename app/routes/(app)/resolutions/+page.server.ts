import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The menu's "Nghị quyết": the user's council's resolutions, or a choice when the user sits in several. */
export const load: PageServerLoad = ({ locals }) => {
	const councils = locals.user?.councils ?? [];
	if (councils.length === 1) redirect(303, `/resolutions/${councils[0].councilId}`);
	return {
		councils: councils.map((c) => ({
			id: c.councilId,
			name: c.councilName,
			roles: c.roles
		}))
	};
};
