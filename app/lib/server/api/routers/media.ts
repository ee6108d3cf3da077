import { z } from 'zod';
import { issueToken } from '../../../../../media/index';
import { joinRequest, byMediaRoom, MEDIA_COUNCIL_ROLES } from '../../media/access';
import { mediaCall, mediaConfig } from '../../media/runtime';
import { AppError } from '../../errors';
import { router } from '../init';
import { authedProcedure, requireCouncilRole } from '../procedures';

const MEDIA_ACCESS = { roles: MEDIA_COUNCIL_ROLES, cityRoles: ['monitor', 'admin'] } as const;

export const mediaRouter = router({
	/**
	 * A short-lived LiveKit join token for a sitting's or a conference's video room, with the rights of the
	 * caller's role there. A mutation: tokens are secrets and must never be cached as a GET.
	 */
	token: authedProcedure
		.input(z.object({ roomKind: z.enum(['sitting', 'conference']), id: z.uuid() }))
		.use(requireCouncilRole(byMediaRoom, MEDIA_ACCESS))
		.mutation(async ({ ctx, input }) => {
			const config = mediaConfig();
			if (!config.enabled) throw new AppError('PRECONDITION_FAILED', 'media.disabled');
			const request = await joinRequest(ctx.db, ctx.user, ctx.council, input.roomKind, input.id);
			const issued = await mediaCall(() => issueToken(config, request));
			return { token: issued.token, url: issued.url, expiresAt: issued.expiresAt.toISOString(), identity: request.identity, role: request.role };
		}),

	/** Whether video is configured at all (pages hide their video controls when it is not). */
	status: authedProcedure.query(() => ({ enabled: mediaConfig().enabled }))
});
