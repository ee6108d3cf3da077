import { z } from 'zod';
import { byConference, byConferenceOrganiser, byInvitedSite, byOrganiser } from '../../media/access';
import {
	conferenceDetail,
	conferenceSites,
	createConference,
	endConference,
	giveFloorToSite,
	listConferences,
	muteAllSites,
	raiseHand,
	removeSite
} from '../../media/conferences';
import { router } from '../init';
import { READERS } from '../../auth/council-access';
import { authedProcedure, requireCouncilRole } from '../procedures';

// City-wide video conferences with the 168 ward sites. The organising council's chair runs them (an admin may
// create one); its readers and the city's monitors follow; each invited ward's site operator acts for its site.
const CHAIR = { roles: ['chair'] } as const;
const CHAIR_OR_ADMIN = { roles: ['chair'], cityRoles: ['admin'] } as const;
const SITE = { roles: ['site_operator'] } as const;

const conferenceInput = z.object({ conferenceId: z.uuid() });
const siteCode = z.string().regex(/^[A-Za-z0-9]{1,16}$/);

export const conferenceRouter = router({
	create: authedProcedure
		.input(
			z.object({
				/** the organising council; the city when omitted */
				councilId: z.uuid().optional(),
				title: z.string().trim().min(1).max(300),
				sittingId: z.uuid().optional(),
				/** invited ward sites by council code; all 168 when omitted */
				siteCodes: z.array(siteCode).max(200).optional()
			})
		)
		.use(requireCouncilRole(byOrganiser, CHAIR_OR_ADMIN))
		.mutation(({ ctx, input }) => createConference(ctx.db, { ...input, councilId: ctx.council.councilId, createdBy: ctx.user.id })),

	get: authedProcedure
		.input(conferenceInput)
		.use(requireCouncilRole(byConference, READERS))
		.query(({ ctx, input }) => conferenceDetail(ctx.db, input.conferenceId, ctx.user)),

	/** Conferences of the caller's councils, those inviting a site they operate, and all for monitor/admin. */
	list: authedProcedure.query(({ ctx }) => listConferences(ctx.db, ctx.user)),

	sites: authedProcedure
		.input(
			z.object({
				conferenceId: z.uuid(),
				page: z.number().int().min(1).max(1000).optional(),
				perPage: z.number().int().min(1).max(200).optional(),
				problemsOnly: z.boolean().optional()
			})
		)
		.use(requireCouncilRole(byConferenceOrganiser, READERS))
		.query(({ ctx, input }) => conferenceSites(ctx.db, input)),

	/** The site operator raises (or lowers) their site's hand; with a linked sitting it joins the floor queue. */
	raiseHand: authedProcedure
		.input(z.object({ conferenceId: z.uuid(), raised: z.boolean().default(true) }))
		.use(requireCouncilRole(byInvitedSite, SITE))
		.mutation(({ ctx, input }) =>
			raiseHand(ctx.db, { conferenceId: input.conferenceId, siteCouncilId: ctx.council.councilId, userId: ctx.user.id, raised: input.raised })
		),

	giveFloor: authedProcedure
		.input(z.object({ conferenceId: z.uuid(), siteCode }))
		.use(requireCouncilRole(byConferenceOrganiser, CHAIR))
		.mutation(({ ctx, input }) => giveFloorToSite(ctx.db, input)),

	muteAll: authedProcedure
		.input(conferenceInput)
		.use(requireCouncilRole(byConferenceOrganiser, CHAIR))
		.mutation(({ ctx, input }) => muteAllSites(ctx.db, { conferenceId: input.conferenceId, except: [ctx.user.id] })),

	remove: authedProcedure
		.input(z.object({ conferenceId: z.uuid(), siteCode }))
		.use(requireCouncilRole(byConferenceOrganiser, CHAIR))
		.mutation(({ ctx, input }) => removeSite(ctx.db, input)),

	end: authedProcedure
		.input(conferenceInput)
		.use(requireCouncilRole(byConferenceOrganiser, CHAIR))
		.mutation(({ ctx, input }) => endConference(ctx.db, { conferenceId: input.conferenceId, userId: ctx.user.id }))
});
