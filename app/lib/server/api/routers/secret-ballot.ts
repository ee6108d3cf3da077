import { z } from 'zod';
import { READERS, type CouncilResolver } from '../../auth/council-access';
import { tallyBoard } from '../../secret-ballot/board';
import { castEncryptedBallot } from '../../secret-ballot/cast';
import { complain, postDealing, postTransportKey, prepareSecretVote, setupsOfSitting, setupView, sharesFor } from '../../secret-ballot/ceremony';
import { closeEncryptedCasting, countEncryptedVote, postPartial } from '../../secret-ballot/count';
import { openEncryptedVote } from '../../secret-ballot/open';
import { router } from '../init';
import { authedProcedure, requireCouncilRole } from '../procedures';
import { bySittingId, byVoteId } from '../resolvers';
import { passRule, voteOptions } from './vote-inputs';

// The encrypted secret ballot (issue 17; docs/api.md § secretBallot). Committee members are delegates of the
// council (the role guard), and each service checks the caller is on that vote's committee (FORBIDDEN otherwise).
// Ballots, dealings and partials are checked by the services' proofs, not by shape here: z.unknown() is bounded by
// the request body limit, and every verifier refuses wrong lengths before decoding anything.

const CHAIR = { roles: ['chair'] } as const;
const DELEGATE = { roles: ['delegate'] } as const;

/** A setup's council (a setup never moves); unknown ids resolve to null, answered as FORBIDDEN. */
const bySetupId: CouncilResolver = async (ctx, input) => {
	const id = (input as { setupId?: string }).setupId;
	if (!id) return null;
	return (await ctx.db.selectFrom('secret_vote_setups').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
};

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const setupId = z.object({ setupId: z.uuid() });
const voteId = z.object({ voteId: z.uuid() });

export const secretBallotRouter = router({
	prepare: authedProcedure
		.input(
			z.object({
				sittingId: z.uuid(),
				itemId: z.uuid(),
				question: z.string().trim().min(1).max(1000),
				rule: passRule.default('majority'),
				options: voteOptions.optional(),
				// A time limit, as vote.open's: at its end the timer (closeDueVotes) closes the casting for counting.
				durationSec: z.number().int().min(10).max(24 * 3600).optional(),
				committee: z.array(z.uuid()).min(2).max(15),
				threshold: z.number().int().min(2).max(15).optional()
			})
		)
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => prepareSecretVote(ctx.db, { ...input, createdBy: ctx.user.id })),

	// The sitting's setups and their committees (the chair's console after a reload; a member's way in).
	ofSitting: authedProcedure
		.input(z.object({ sittingId: z.uuid() }))
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => setupsOfSitting(ctx.db, input.sittingId)),

	setup: authedProcedure
		.input(setupId)
		.use(requireCouncilRole(bySetupId, READERS))
		.query(({ ctx, input }) => setupView(ctx.db, input.setupId)),

	postTransportKey: authedProcedure
		.input(setupId.extend({ key: hex64 }))
		.use(requireCouncilRole(bySetupId, DELEGATE))
		.mutation(({ ctx, input }) => postTransportKey(ctx.db, { ...input, userId: ctx.user.id })),

	postDealing: authedProcedure
		.input(setupId.extend({ dealing: z.unknown(), sealed: z.unknown() }))
		.use(requireCouncilRole(bySetupId, DELEGATE))
		.mutation(({ ctx, input }) => postDealing(ctx.db, { ...input, userId: ctx.user.id })),

	shares: authedProcedure
		.input(setupId)
		.use(requireCouncilRole(bySetupId, DELEGATE))
		.query(({ ctx, input }) => sharesFor(ctx.db, { ...input, userId: ctx.user.id })),

	complain: authedProcedure
		.input(setupId.extend({ dealer: z.number().int().min(1).max(15) }))
		.use(requireCouncilRole(bySetupId, DELEGATE))
		.mutation(({ ctx, input }) => complain(ctx.db, { ...input, userId: ctx.user.id })),

	open: authedProcedure
		.input(setupId)
		.use(requireCouncilRole(bySetupId, CHAIR))
		.mutation(({ ctx, input }) =>
			openEncryptedVote(ctx.db, {
				setupId: input.setupId,
				openedBy: ctx.user.id
			})
		),

	cast: authedProcedure
		.input(voteId.extend({ ballot: z.unknown() }))
		.use(requireCouncilRole(byVoteId, DELEGATE))
		.mutation(({ ctx, input }) =>
			castEncryptedBallot(ctx.db, {
				voteId: input.voteId,
				userId: ctx.user.id,
				ballot: input.ballot
			})
		),

	closeCasting: authedProcedure
		.input(voteId)
		.use(requireCouncilRole(byVoteId, CHAIR))
		.mutation(({ ctx, input }) => closeEncryptedCasting(ctx.db, input.voteId, ctx.user.id)),

	postPartial: authedProcedure
		.input(voteId.extend({ partial: z.unknown() }))
		.use(requireCouncilRole(byVoteId, DELEGATE))
		.mutation(({ ctx, input }) =>
			postPartial(ctx.db, {
				voteId: input.voteId,
				userId: ctx.user.id,
				partial: input.partial
			})
		),

	count: authedProcedure
		.input(voteId)
		.use(requireCouncilRole(byVoteId, CHAIR))
		.mutation(({ ctx, input }) => countEncryptedVote(ctx.db, input.voteId)),

	board: authedProcedure
		.input(voteId)
		.use(requireCouncilRole(byVoteId, READERS))
		.query(({ ctx, input }) => tallyBoard(ctx.db, input.voteId))
});
