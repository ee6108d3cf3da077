import { z } from 'zod';
import { hasCityRole } from '../../auth/current-user';
import { answerPetition, assignPetition, createPetition, listPetitions, petitionCouncil } from '../../petitions/service';
import { router } from '../init';
import { READERS, checkCouncilAccess, type CouncilResolver } from '../../auth/council-access';
import { authedProcedure, byCouncilId, requireCouncilRole } from '../procedures';

const ORGANISERS = { roles: ['chair', 'secretary'] } as const;
/** Delegates meet voters (tiếp xúc cử tri) and record what they ask; the chair and secretary too. */
const RECORDERS = { roles: ['delegate', 'chair', 'secretary'] } as const;

export const byPetitionId: CouncilResolver = (ctx, input) => {
	const id = (input as { petitionId?: string }).petitionId;
	return id ? petitionCouncil(ctx.db, id) : null;
};

export const petitionRouter = router({
	create: authedProcedure
		.input(
			z.object({
				councilId: z.uuid(),
				topic: z.string().trim().min(1).max(300),
				area: z.string().trim().min(1).max(300),
				text: z.string().trim().min(1).max(10_000)
			})
		)
		.use(requireCouncilRole(byCouncilId, RECORDERS))
		.mutation(({ ctx, input }) => createPetition(ctx.db, { ...input, createdBy: ctx.user.id })),

	assign: authedProcedure
		.input(z.object({ petitionId: z.uuid(), agency: z.string().trim().min(1).max(300) }))
		.use(requireCouncilRole(byPetitionId, ORGANISERS))
		.mutation(({ ctx, input }) => assignPetition(ctx.db, input)),

	answer: authedProcedure
		.input(z.object({ petitionId: z.uuid(), answer: z.string().trim().min(1).max(10_000), status: z.enum(['answered', 'closed']).default('answered') }))
		.use(requireCouncilRole(byPetitionId, ORGANISERS))
		.mutation(({ ctx, input }) => answerPetition(ctx.db, { ...input, userId: ctx.user.id })),

	list: authedProcedure
		.input(z.object({ councilId: z.uuid().optional(), status: z.enum(['received', 'assigned', 'answered', 'closed']).optional() }).optional())
		.query(async ({ ctx, input }) => {
			if (input?.councilId) {
				checkCouncilAccess(ctx.user, input.councilId, READERS);
				return listPetitions(ctx.db, [input.councilId], input.status);
			}
			const ids = hasCityRole(ctx.user, 'monitor', 'admin')
				? (await ctx.db.selectFrom('councils').select('id').execute()).map((c) => c.id)
				: ctx.user.councils.map((c) => c.councilId);
			return listPetitions(ctx.db, ids, input?.status);
		})
});
