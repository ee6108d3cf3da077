import { z } from 'zod';
import { hasCityRole } from '../../auth/current-user';
import { searchDirectory } from '../../directory/search';
import { router } from '../init';
import { checkCouncilAccess, READERS } from '../../auth/council-access';
import { authedProcedure } from '../procedures';

export const directoryRouter = router({
	/**
	 * Delegates and officials by name without diacritics, optionally of one council and role. The city's roles
	 * see the whole city; everyone else sees the people of their own councils.
	 */
	search: authedProcedure
		.input(
			z.object({
				q: z.string().trim().max(100).default(''),
				councilId: z.uuid().optional(),
				role: z.enum(['delegate', 'chair', 'secretary', 'clerk', 'site_operator', 'monitor', 'admin']).optional(),
				limit: z.number().int().min(1).max(200).optional()
			})
		)
		.query(({ ctx, input }) => {
			if (input.councilId) checkCouncilAccess(ctx.user, input.councilId, READERS);
			const scope = hasCityRole(ctx.user, 'monitor', 'admin') ? null : ctx.user.councils.map((c) => c.councilId);
			return searchDirectory(ctx.db, { ...input, scope });
		})
});
