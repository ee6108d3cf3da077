import { z } from 'zod';
import { castBallot } from '../../votes/cast-ballot';
import { closeVote, voidVote } from '../../votes/close-vote';
import { openVote } from '../../votes/open-vote';
import { voteResult, voteView } from '../../votes/queries';
import { router } from '../init';
import { READERS } from '../../auth/council-access';
import { authedProcedure, requireCouncilRole } from '../procedures';
import { bySittingId, byVoteId } from '../resolvers';
import { passRule, voteOptions } from './vote-inputs';

const CHAIR = { roles: ['chair'] } as const;

const choice = z.union([
	z.enum(['yes', 'no', 'abstain']),
	z.array(z.string().max(100)).max(200),
	z.record(z.string().max(100), z.enum(['high', 'confidence', 'low']))
]);

export const voteRouter = router({
	open: authedProcedure
		.input(
			z.object({
				sittingId: z.uuid(),
				itemId: z.uuid(),
				question: z.string().trim().min(1).max(1000),
				kind: z.enum(['open', 'secret']),
				rule: passRule.default('majority'),
				options: voteOptions.optional(),
				durationSec: z.number().int().min(10).max(24 * 3600).optional()
			})
		)
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => openVote(ctx.db, { ...input, openedBy: ctx.user.id })),

	cast: authedProcedure
		.input(z.object({ voteId: z.uuid(), choice, idempotencyKey: z.string().min(1).max(200).optional() }))
		.use(requireCouncilRole(byVoteId, { roles: ['delegate'] }))
		.mutation(({ ctx, input }) => castBallot(ctx.db, { ...input, userId: ctx.user.id })),

	close: authedProcedure
		.input(z.object({ voteId: z.uuid() }))
		.use(requireCouncilRole(byVoteId, CHAIR))
		.mutation(({ ctx, input }) => closeVote(ctx.db, input.voteId, ctx.user.id)),

	void: authedProcedure
		.input(z.object({ voteId: z.uuid(), reason: z.string().trim().min(1).max(500) }))
		.use(requireCouncilRole(byVoteId, CHAIR))
		.mutation(({ ctx, input }) => voidVote(ctx.db, input.voteId, input.reason, ctx.user.id)),

	result: authedProcedure
		.input(z.object({ voteId: z.uuid() }))
		.use(requireCouncilRole(byVoteId, READERS))
		.query(({ ctx, input }) => voteResult(ctx.db, input.voteId)),

	get: authedProcedure
		.input(z.object({ voteId: z.uuid() }))
		.use(requireCouncilRole(byVoteId, READERS))
		.query(({ ctx, input }) => voteView(ctx.db, input.voteId, ctx.user.id))
});
