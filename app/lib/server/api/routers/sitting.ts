import { z } from 'zod';
import { civilDate } from '../inputs';
import { sittingEventFeed } from '../../realtime/sitting-hub';
import { untilRevoked } from '../../realtime/stream-guard';
import { sittingMinutes } from '../../minutes/sitting-minutes';
import { listSittings, sittingDetail, sittingState, upcomingSittings } from '../../sittings/queries';
import { addAgendaItem, createSitting, reorderAgenda, setCurrentItem, transition } from '../../sittings/service';
import { router } from '../init';
import { READERS, hasCouncilAccess } from '../../auth/council-access';
import { authedProcedure, byCouncilId, requireCouncilRole } from '../procedures';
import { byAgendaItemId, byDocumentId, bySittingId } from '../resolvers';
import { removeAgendaItem, removeDocument, updateAgendaItem, updateDocument, updateSitting } from '../../sittings/edits';
import { chainHeadsView, verifySittingChain } from '../../sittings/verify-chain';

const CHAIR = { roles: ['chair'] } as const;
const ORGANISERS = { roles: ['chair', 'secretary'] } as const;

const sittingInput = z.object({ sittingId: z.uuid() });
const agendaKind = z.enum(['report', 'submission', 'questioning', 'election', 'dismissal', 'confidence', 'other']);
/** Why a change is made; required once the sitting is in session (a correction), optional before. */
const editReason = z.string().trim().max(500).optional();

export const sittingRouter = router({
	create: authedProcedure
		.input(
			z.object({
				councilId: z.uuid(),
				kind: z.enum(['regular', 'thematic', 'extraordinary']),
				title: z.string().trim().min(1).max(300),
				startsAt: civilDate(),
				endsAt: civilDate().optional(),
				venue: z.string().trim().max(300).optional(),
				hybrid: z.boolean().optional(),
				number: z.number().int().min(1).max(1000).optional()
			})
		)
		.use(requireCouncilRole(byCouncilId, ORGANISERS))
		.mutation(async ({ ctx, input }) => {
			const sitting = await createSitting(ctx.db, { ...input, createdBy: ctx.user.id });
			return { sittingId: sitting.id, number: sitting.number };
		}),

	/** Sittings not yet closed in the caller's councils, soonest first (home page). */
	upcoming: authedProcedure.query(({ ctx }) => upcomingSittings(ctx.db, ctx.user.councils.map((c) => c.councilId))),

	list: authedProcedure
		.input(z.object({ councilId: z.uuid() }))
		.use(requireCouncilRole(byCouncilId, READERS))
		.query(({ ctx, input }) => listSittings(ctx.db, input.councilId)),

	get: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => sittingDetail(ctx.db, input.sittingId)),

	addAgendaItem: authedProcedure
		.input(
			z.object({
				sittingId: z.uuid(),
				kind: agendaKind,
				title: z.string().trim().min(1).max(500),
				presenter: z.string().trim().max(200).optional(),
				plannedMinutes: z.number().int().min(1).max(600).optional()
			})
		)
		.use(requireCouncilRole(bySittingId, ORGANISERS))
		.mutation(({ ctx, input }) => addAgendaItem(ctx.db, input)),

	reorderAgenda: authedProcedure
		.input(z.object({ sittingId: z.uuid(), itemIds: z.array(z.uuid()).min(1).max(200) }))
		.use(requireCouncilRole(bySittingId, ORGANISERS))
		.mutation(({ ctx, input }) => reorderAgenda(ctx.db, input)),

	/** Title, start and venue; before the sitting opens freely, in session only as a correction with a reason. */
	update: authedProcedure
		.input(
			z.object({
				sittingId: z.uuid(),
				title: z.string().trim().min(1).max(300).optional(),
				startsAt: civilDate().optional(),
				venue: z.string().trim().max(300).nullable().optional(),
				reason: editReason
			})
		)
		.use(requireCouncilRole(bySittingId, ORGANISERS))
		.mutation(({ ctx, input }) => updateSitting(ctx.db, { ...input, actorId: ctx.user.id })),

	updateAgendaItem: authedProcedure
		.input(
			z.object({
				itemId: z.uuid(),
				title: z.string().trim().min(1).max(500).optional(),
				kind: agendaKind.optional(),
				presenter: z.string().trim().max(200).nullable().optional(),
				plannedMinutes: z.number().int().min(1).max(600).nullable().optional(),
				reason: editReason
			})
		)
		.use(requireCouncilRole(byAgendaItemId, ORGANISERS))
		.mutation(({ ctx, input }) => updateAgendaItem(ctx.db, { ...input, actorId: ctx.user.id })),

	removeAgendaItem: authedProcedure
		.input(z.object({ itemId: z.uuid(), reason: editReason }))
		.use(requireCouncilRole(byAgendaItemId, ORGANISERS))
		.mutation(({ ctx, input }) => removeAgendaItem(ctx.db, { ...input, actorId: ctx.user.id })),

	updateDocument: authedProcedure
		.input(z.object({ documentId: z.uuid(), title: z.string().trim().min(1).max(300).optional(), itemId: z.uuid().nullable().optional(), reason: editReason }))
		.use(requireCouncilRole(byDocumentId, ORGANISERS))
		.mutation(({ ctx, input }) => updateDocument(ctx.db, { ...input, actorId: ctx.user.id })),

	removeDocument: authedProcedure
		.input(z.object({ documentId: z.uuid(), reason: editReason }))
		.use(requireCouncilRole(byDocumentId, ORGANISERS))
		.mutation(({ ctx, input }) => removeDocument(ctx.db, { ...input, actorId: ctx.user.id })),

	convene: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => transition(ctx.db, input.sittingId, 'convened', ctx.user.id)),

	start: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => transition(ctx.db, input.sittingId, 'in_progress', ctx.user.id)),

	close: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => transition(ctx.db, input.sittingId, 'closed', ctx.user.id)),

	setCurrentItem: authedProcedure
		.input(z.object({ sittingId: z.uuid(), itemId: z.uuid() }))
		.use(requireCouncilRole(bySittingId, CHAIR))
		.mutation(({ ctx, input }) => setCurrentItem(ctx.db, input.sittingId, input.itemId)),

	state: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => sittingState(ctx.db, input.sittingId)),

	/** The minutes of the sitting's votes in the caller's language, for GET /api/minutes/{sittingId}/… (PDF, CSV). */
	minutes: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => sittingMinutes(ctx.db, input.sittingId, ctx.locale)),

	verifyChain: authedProcedure
		.input(sittingInput)
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => verifySittingChain(ctx.db, input.sittingId)),

	/** The chain now at the heads a device kept, and the council's key: the "check the record" page compares them. */
	chainHeads: authedProcedure
		.input(z.object({ sittingId: z.uuid(), seqs: z.array(z.number().int().positive().max(Number.MAX_SAFE_INTEGER)).max(500) }))
		.use(requireCouncilRole(bySittingId, READERS))
		.query(({ ctx, input }) => chainHeadsView(ctx.db, input.sittingId, input.seqs)),

	/**
	 * Every change of the sitting, live, over SSE. A client that reconnects sends the last id it saw
	 * (`lastEventId`, added by tRPC's client) and receives every event it missed, in order, once.
	 */
	events: authedProcedure
		.input(z.object({ sittingId: z.uuid(), lastEventId: z.union([z.string().regex(/^\d{1,15}$/), z.number().int().nonnegative()]).nullish() }))
		.use(requireCouncilRole(bySittingId, READERS))
		// On shutdown the hub ends every stream itself (one listener for all, not one per subscriber). The stream also
		// ends when the caller's session does, or when they stop being a reader of the council.
		.subscription(({ ctx, input, signal }) => {
			const { councilId } = ctx.council;
			const live = untilRevoked(ctx, signal, (user) => hasCouncilAccess(user, councilId, READERS));
			return sittingEventFeed(input.sittingId, Number(input.lastEventId ?? 0), live);
		})
});
