import { tracked } from '@trpc/server';
import { z } from 'zod';
import { civilDate } from '../inputs';
import { hasCityRole } from '../../auth/current-user';
import { answerConsultation, consultationCouncil, consultationResult, createConsultation, listConsultations } from '../../consultations/service';
import { cityHub } from '../../monitor/hub';
import { untilRevoked } from '../../realtime/stream-guard';
import { forbidden } from '../../errors';
import { router, t } from '../init';
import { READERS, checkCouncilAccess, hasCouncilAccess, type CouncilResolver } from '../../auth/council-access';
import { authedProcedure, requireCouncilRole } from '../procedures';

export const byConsultationId: CouncilResolver = (ctx, input) => {
	const id = (input as { consultationId?: string }).consultationId;
	return id ? consultationCouncil(ctx.db, id) : null;
};

/** The chair or secretary of the council; for the city council also the city's standing committee. */
const mayConsult = t.middleware(async function mayCreateConsultation({ ctx, input, next }) {
	if (!ctx.user) throw forbidden();
	const councilId = (input as { councilId: string }).councilId;
	const council = await ctx.db.selectFrom('councils').select('kind').where('id', '=', councilId).executeTakeFirst();
	if (!council) throw forbidden();
	checkCouncilAccess(ctx.user, councilId, council.kind === 'city' ? { roles: ['chair', 'secretary'], cityRoles: ['monitor'] } : { roles: ['chair', 'secretary'] });
	return next();
});

export const consultationRouter = router({
	create: authedProcedure
		.input(
			z.object({
				councilId: z.uuid(),
				title: z.string().trim().min(1).max(300),
				question: z.string().trim().min(1).max(5000),
				deadline: civilDate()
			})
		)
		.use(mayConsult)
		.mutation(({ ctx, input }) => createConsultation(ctx.db, { ...input, createdBy: ctx.user.id })),

	/** Each delegate of the council answers once (the database refuses a second answer: CONFLICT). */
	answer: authedProcedure
		.input(
			z.object({
				consultationId: z.uuid(),
				choice: z.enum(['agree', 'disagree', 'comment']),
				comment: z.string().trim().max(4000).optional()
			})
		)
		.use(requireCouncilRole(byConsultationId, { roles: ['delegate'] }))
		.mutation(({ ctx, input }) => answerConsultation(ctx.db, { ...input, userId: ctx.user.id })),

	result: authedProcedure
		.input(z.object({ consultationId: z.uuid() }))
		.use(requireCouncilRole(byConsultationId, READERS))
		.query(({ ctx, input }) => consultationResult(ctx.db, input.consultationId, ctx.user.id)),

	/**
	 * The result, live, for whoever may read it (as `result`): the current result first, then each change, at
	 * most once per 500 ms. (answered, status) only ever grows, so it is the event id; after a reconnect the first
	 * message is the current result again.
	 */
	events: authedProcedure
		.input(z.object({ consultationId: z.uuid(), lastEventId: z.string().max(40).nullish() }))
		.use(requireCouncilRole(byConsultationId, READERS))
		.subscription(async function* ({ ctx, input, signal }) {
			// Ends with the session, or when the caller is no longer a reader of the council.
			const { councilId } = ctx.council;
			const live = untilRevoked(ctx, signal, (user) => hasCouncilAccess(user, councilId, READERS));
			for await (const result of cityHub().consultationStream(input.consultationId, ctx.user.id, live)) {
				yield tracked(`${result.answered}:${result.status}`, result);
			}
		}),

	list: authedProcedure.input(z.object({ councilId: z.uuid().optional() }).optional()).query(async ({ ctx, input }) => {
		if (input?.councilId) {
			checkCouncilAccess(ctx.user, input.councilId, READERS);
			return listConsultations(ctx.db, [input.councilId]);
		}
		if (hasCityRole(ctx.user, 'monitor', 'admin')) {
			const all = await ctx.db.selectFrom('councils').select('id').execute();
			return listConsultations(ctx.db, all.map((c) => c.id));
		}
		return listConsultations(ctx.db, ctx.user.councils.map((c) => c.councilId));
	})
});
