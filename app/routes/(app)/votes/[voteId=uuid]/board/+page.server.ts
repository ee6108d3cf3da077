import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

/**
 * The public board of a counted encrypted secret vote (issue 17), for the council's readers as `secretBallot.board`
 * decides; the committee's names from its setup (same readers). The browser checks the board itself.
 */
export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const board = await orPageError(event, () => caller.secretBallot.board({ voteId: event.params.voteId }));
	const setup = await orPageError(event, () => caller.secretBallot.setup({ setupId: event.params.voteId }));
	return { board, members: setup.members.map((m) => ({ index: m.index, fullName: m.fullName })) };
};
