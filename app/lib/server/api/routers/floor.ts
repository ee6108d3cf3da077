import { z } from 'zod';
import { endFloor, floorLog, grantFloor, moveFloorRequest, requestFloor, withdrawFloor } from '../../sittings/floor-service';
import { syncFloorToMedia } from '../../media/floor-sync';
import { router } from '../init';
import { READERS } from '../../auth/council-access';
import { authedProcedure, requireCouncilRole } from '../procedures';
import { byFloorRequestId, bySittingId } from '../resolvers';

const CHAIR = { roles: ['chair'] } as const;

export const floorRouter = router({
	/** A delegate asks for the floor on the current item; points of order go first. */
	request: authedProcedure
		.input(z.object({ sittingId: z.uuid(), kind: z.enum(['speech', 'question', 'point_of_order']).default('speech') }))
		.use(requireCouncilRole(bySittingId, { roles: ['delegate'] }))
		.mutation(({ ctx, input }) => requestFloor(ctx.db, { ...input, userId: ctx.user.id, mustBeCheckedIn: true })),

	withdraw: authedProcedure
		.input(z.object({ requestId: z.uuid() }))
		.use(requireCouncilRole(byFloorRequestId, { roles: ['delegate', 'site_operator'] }))
		.mutation(({ ctx, input }) => withdrawFloor(ctx.db, { requestId: input.requestId, userId: ctx.user.id })),

	grant: authedProcedure
		.input(z.object({ requestId: z.uuid(), allottedSec: z.number().int().min(10).max(3600).optional() }))
		.use(requireCouncilRole(byFloorRequestId, CHAIR))
		.mutation(async ({ ctx, input }) => {
			const granted = await grantFloor(ctx.db, input);
			// Video follows the floor: only the speaker's microphone may publish. Never blocks the sitting.
			await syncFloorToMedia(granted.sittingId, granted.speakerUserId);
			return { floor: granted.floor };
		}),

	end: authedProcedure
		.input(z.object({ sittingId: z.uuid() }))
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(async ({ ctx, input }) => {
			const result = await endFloor(ctx.db, input.sittingId);
			await syncFloorToMedia(input.sittingId, null);
			return result;
		}),

	move: authedProcedure
		.input(z.object({ sittingId: z.uuid(), requestId: z.uuid(), index: z.number().int().min(0).max(1000) }))
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => moveFloorRequest(ctx.db, input)),

	log: authedProcedure
		.input(z.object({ sittingId: z.uuid() }))
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => floorLog(ctx.db, input.sittingId))
});
