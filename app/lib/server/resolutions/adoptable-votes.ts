import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';

/** The closed votes of a council that passed, newest first: what a draft can be adopted by (at most 200). */
export async function passedVotes(db: Db, councilId: string) {
	const votes = await db
		.selectFrom('votes')
		.select(['id', 'item_id', 'question', 'closed_at'])
		.where('council_id', '=', councilId)
		.where('status', '=', 'closed')
		.where(sql<boolean>`result->>'passed' = 'true'`)
		.orderBy('closed_at', 'desc')
		.limit(200)
		.execute();
	return votes.map((v) => ({
		id: v.id,
		itemId: v.item_id,
		question: v.question,
		closedAt: v.closed_at?.toISOString() ?? null
	}));
}
