import type { RequestEvent } from '@sveltejs/kit';
import { error } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { CouncilRole } from '../../../db/schema.js';
import type { SittingPageData } from './types';

/**
 * What every sitting screen starts from: the live state first (its lastEventId is where the subscription
 * resumes), then the detail, so the stream replays anything that changed in between (patches are idempotent).
 */
export async function loadSittingPage(event: RequestEvent & { params: { sittingId: string } }, need?: readonly CouncilRole[]): Promise<SittingPageData> {
	const user = event.locals.user;
	if (!user) error(401, { message: translate(event.locals.locale, 'auth.required') });
	const caller = serverCaller(event);
	const sittingId = event.params.sittingId;
	const snapshot = await orPageError(event, () => caller.sitting.state({ sittingId }));
	const roles = user.councils.find((c) => c.councilId === snapshot.councilId)?.roles ?? [];
	// A screen of a role the user lacks is refused like the API would refuse its actions.
	if (need && !roles.some((r) => need.includes(r))) error(403, { message: translate(event.locals.locale, 'auth.forbidden') });
	const detail = await orPageError(event, () => caller.sitting.get({ sittingId }));
	const openVote = snapshot.openVote ? await orPageError(event, () => caller.vote.get({ voteId: snapshot.openVote!.voteId })) : null;
	return { detail, snapshot, openVote, roles, cityRoles: user.cityRoles, userId: user.id };
}
