import { sql } from 'kysely';
import { orPageError, serverCaller } from '$lib/server/api/caller';
import { getDb } from '$lib/server/db';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	const caller = serverCaller(event);
	const councilId = event.params.councilId;
	const [council, resolutions] = await Promise.all([
		orPageError(event, () => caller.council.get({ councilId })),
		orPageError(event, () => caller.resolution.list({ councilId }))
	]);
	// Closed votes that passed, per agenda item: what a draft can be adopted by.
	const votes = await getDb()
		.selectFrom('votes')
		.select(['id', 'item_id', 'question', 'closed_at'])
		.where('council_id', '=', councilId)
		.where('status', '=', 'closed')
		.where(sql<boolean>`result->>'passed' = 'true'`)
		.orderBy('closed_at', 'desc')
		.limit(200)
		.execute();
	const roles = event.locals.user?.councils.find((c) => c.councilId === councilId)?.roles ?? [];
	return {
		council,
		resolutions,
		passedVotes: votes.map((v) => ({ id: v.id, itemId: v.item_id, question: v.question, closedAt: v.closed_at?.toISOString() ?? null })),
		isChair: roles.includes('chair'),
		isDrafter: roles.includes('chair') || roles.includes('secretary'),
		isClerk: roles.includes('clerk')
	};
};
