import { z } from 'zod';
import { getCouncil, listCouncils } from '../../councils/repository';
import { notFound } from '../../errors';
import { router } from '../init';
import { READERS } from '../../auth/council-access';
import { authedProcedure, byCouncilId, requireCouncilRole } from '../procedures';

export const councilRouter = router({
	/** All 169 councils: their names and kinds are public facts, so any signed-in user may list them. */
	list: authedProcedure.query(({ ctx }) => listCouncils(ctx.db)),

	get: authedProcedure
		.input(z.object({ councilId: z.uuid() }))
		.use(requireCouncilRole(byCouncilId, READERS))
		.query(async ({ ctx, input }) => {
			const council = await getCouncil(ctx.db, input.councilId);
			if (!council) throw notFound('what.council');
			return council;
		})
});
