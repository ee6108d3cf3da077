import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

const STATES = ['all', 'open', 'overdue', 'on_time', 'done'] as const;

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const param = event.url.searchParams.get('state');
	const state = (STATES as readonly string[]).includes(param ?? '') ? (param as (typeof STATES)[number]) : 'all';
	const user = event.locals.user!;
	const isCity = user.cityRoles.some((r) => r === 'monitor' || r === 'admin');
	return orPageError(event, async () => ({
		state,
		isCity,
		tasks: await caller.followup.list({ state }),
		escalations: isCity ? await caller.followup.escalations() : [],
		// Who may report on a task: its assignee, and the chair and secretary of its council.
		userId: user.id,
		organiserOf: user.councils.filter((c) => c.roles.some((r) => r === 'chair' || r === 'secretary')).map((c) => c.councilId),
		// Councils where the caller may assign tasks.
		councils: isCity
			? (await caller.council.list()).map((c) => ({ id: c.id, name: c.name }))
			: user.councils.filter((c) => c.roles.some((r) => r === 'chair' || r === 'secretary')).map((c) => ({ id: c.councilId, name: c.councilName }))
	}));
};
