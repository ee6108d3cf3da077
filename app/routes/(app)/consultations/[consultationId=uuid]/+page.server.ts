import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const result = await orPageError(event, () => serverCaller(event).consultation.result({ consultationId: event.params.consultationId }));
	const isDelegate = event.locals.user!.councils.some((c) => c.councilId === result.councilId && c.roles.includes('delegate'));
	return { result, isDelegate };
};
