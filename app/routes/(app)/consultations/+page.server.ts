import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user!;
	const isMonitor = user.cityRoles.includes('monitor');
	const caller = serverCaller(event);
	return orPageError(event, async () => {
		const own = user.councils.filter((c) => c.roles.some((r) => r === 'chair' || r === 'secretary')).map((c) => ({ id: c.councilId, name: c.councilName }));
		// The city monitor consults the city council's delegates.
		const city = isMonitor ? (await caller.council.list()).filter((c) => c.kind === 'city').map((c) => ({ id: c.id, name: c.name })) : [];
		return { consultations: await caller.consultation.list(), createIn: [...city, ...own.filter((o) => !city.some((c) => c.id === o.id))] };
	});
};
