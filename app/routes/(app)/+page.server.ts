import { serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const memberships = event.locals.user?.councils ?? [];
	// The home page still shows the user's councils if the sittings or the tasks cannot be read right now.
	const [upcoming, todo] = await Promise.all([caller.sitting.upcoming().catch(() => []), caller.resolution.todo().catch(() => null)]);
	// Only the chair and the clerk have resolution steps to take; others see no empty to-do list.
	const hasTasks = memberships.some((m) => m.roles.includes('chair') || m.roles.includes('clerk'));
	return { memberships, upcoming, todo: hasTasks ? todo : [], hasTasks };
};
