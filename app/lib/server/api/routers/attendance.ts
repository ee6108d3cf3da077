import { z } from 'zod';
import { checkIn, markAllPresent, markAttendance } from '../../sittings/attendance';
import { router } from '../init';
import { authedProcedure, requireCouncilRole } from '../procedures';
import { bySittingId } from '../resolvers';

export const attendanceRouter = router({
	/** A delegate checks themself in, in the hall or remotely. */
	checkIn: authedProcedure
		.input(z.object({ sittingId: z.uuid(), mode: z.enum(['hall', 'remote']) }))
		.use(requireCouncilRole(bySittingId, { roles: ['delegate'] }))
		.mutation(({ ctx, input }) => checkIn(ctx.db, input.sittingId, ctx.user.id, input.mode)),

	/** The secretary (or chair) records a delegate's attendance, with a reason for an absence. */
	mark: authedProcedure
		.input(
			z.object({
				sittingId: z.uuid(),
				delegateId: z.uuid(),
				status: z.enum(['present_hall', 'present_remote', 'absent_excused', 'absent']),
				reason: z.string().trim().max(500).optional()
			})
		)
		.use(requireCouncilRole(bySittingId, { roles: ['secretary', 'chair'] }))
		.mutation(({ ctx, input }) => markAttendance(ctx.db, { ...input, by: ctx.user.id })),

	/** The secretary (or chair) marks every delegate not yet recorded as present in the hall, in one go. */
	markAllPresent: authedProcedure
		.input(z.object({ sittingId: z.uuid() }))
		.use(requireCouncilRole(bySittingId, { roles: ['secretary', 'chair'] }))
		.mutation(({ ctx, input }) => markAllPresent(ctx.db, { sittingId: input.sittingId, by: ctx.user.id }))
});
