import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const user = event.locals.user!;
	const caller = serverCaller(event);
	const city = user.councils.find((c) => c.councilKind === 'city');
	const canCreate = user.cityRoles.includes('admin') || !!city?.roles.includes('chair');
	const [conferences, councils] = await Promise.all([
		orPageError(event, () => caller.conference.list()),
		canCreate ? orPageError(event, () => caller.council.list()) : Promise.resolve([])
	]);
	const cityId = councils.find((c) => c.kind === 'city')?.id ?? null;
	// Sittings of the city that a conference may be linked to (not closed).
	const sittings =
		canCreate && cityId ? (await orPageError(event, () => caller.sitting.list({ councilId: cityId }))).filter((s) => s.status !== 'closed') : [];
	return { conferences, canCreate, siteCount: councils.filter((c) => c.kind !== 'city').length, sittings };
};
