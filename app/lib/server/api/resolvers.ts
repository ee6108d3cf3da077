import type { CouncilResolver } from './procedures';

// Each resolver finds the council an input belongs to, so the role guard can check the caller's role there.
// Unknown ids resolve to null, which the guard answers as FORBIDDEN (ids of other councils cannot be probed).

export const bySittingId: CouncilResolver = async (ctx, input) => {
	const id = (input as { sittingId?: string }).sittingId;
	if (!id) return null;
	return (await ctx.db.selectFrom('sittings').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
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
	return (await ctx.db.selectFrom('votes').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
};
