import type { CouncilResolver } from '../auth/council-access';

// Each resolver finds the council an input belongs to, so the role guard can check the caller's role there.
// Unknown ids resolve to null, which the guard answers as FORBIDDEN (ids of other councils cannot be probed).

/**
 * A sitting or vote never moves to another council, so the answer is kept (bounded, per process): a vote's
 * 30 casts or a sitting's thousands of screens cost one lookup, not one each. Unknown ids are not kept.
 */
const councilOf = new Map<string, string>();
const COUNCIL_OF_LIMIT = 50_000;

async function remembered(key: string, lookup: () => Promise<string | null>): Promise<string | null> {
	const known = councilOf.get(key);
	if (known) return known;
	const found = await lookup();
	if (found) {
		if (councilOf.size >= COUNCIL_OF_LIMIT) councilOf.clear();
		councilOf.set(key, found);
	}
	return found;
}

export const bySittingId: CouncilResolver = async (ctx, input) => {
	const id = (input as { sittingId?: string }).sittingId;
	if (!id) return null;
	return remembered(`s:${id}`, async () => (await ctx.db.selectFrom('sittings').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null);
};

export const byFloorRequestId: CouncilResolver = async (ctx, input) => {
	const id = (input as { requestId?: string }).requestId;
	if (!id) return null;
	return (
		(await ctx.db
			.selectFrom('floor_requests as f')
			.innerJoin('sittings as s', 's.id', 'f.sitting_id')
			.select('s.council_id')
			.where('f.id', '=', id)
			.executeTakeFirst())?.council_id ?? null
	);
};

export const byVoteId: CouncilResolver = async (ctx, input) => {
	const id = (input as { voteId?: string }).voteId;
	if (!id) return null;
	return remembered(`v:${id}`, async () => (await ctx.db.selectFrom('votes').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null);
};

/** An agenda item's council, through its sitting (an item never moves to another sitting). */
export const byAgendaItemId: CouncilResolver = async (ctx, input) => {
	const id = (input as { itemId?: string }).itemId;
	if (!id) return null;
	return remembered(`i:${id}`, async () =>
		(await ctx.db.selectFrom('agenda_items as a').innerJoin('sittings as s', 's.id', 'a.sitting_id').select('s.council_id').where('a.id', '=', id).executeTakeFirst())?.council_id ?? null
	);
};

/** A document's council, through its sitting. */
export const byDocumentId: CouncilResolver = async (ctx, input) => {
	const id = (input as { documentId?: string }).documentId;
	if (!id) return null;
	return remembered(`d:${id}`, async () =>
		(await ctx.db.selectFrom('documents as d').innerJoin('sittings as s', 's.id', 'd.sitting_id').select('s.council_id').where('d.id', '=', id).executeTakeFirst())?.council_id ?? null
	);
};
