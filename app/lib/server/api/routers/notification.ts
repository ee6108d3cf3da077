import { tracked } from '@trpc/server';
import { z } from 'zod';
import { civilDate } from '../inputs';
import { cityHub } from '../../monitor/hub';
import { scheduleJob } from '../../notifications/schedule';
import { untilRevoked } from '../../realtime/stream-guard';
import { councilUserIds, listNotifications, markRead } from '../../notifications/service';
import { AppError } from '../../errors';
import { router } from '../init';
import { authedProcedure, byCouncilId, requireCouncilRole } from '../procedures';

export const notificationRouter = router({
	/** The caller's own notifications, newest first, with the unread count. */
	list: authedProcedure
		.input(z.object({ unreadOnly: z.boolean().optional(), limit: z.number().int().min(1).max(200).optional() }).optional())
		.query(({ ctx, input }) => listNotifications(ctx.db, ctx.user.id, input ?? {})),

	markRead: authedProcedure
		.input(z.object({ ids: z.array(z.uuid()).max(500).optional(), all: z.boolean().optional() }))
		.mutation(({ ctx, input }) => markRead(ctx.db, ctx.user.id, input.all ? 'all' : (input.ids ?? []))),

	/** The caller's new notifications, live (for the notification centre's toasts). */
	stream: authedProcedure.input(z.object({ lastEventId: z.string().max(60).nullish() }).optional()).subscription(async function* ({ ctx, signal }) {
		// Ends with the session (logout, deactivation).
		for await (const n of cityHub().notificationStream(ctx.user.id, untilRevoked(ctx, signal))) yield tracked(n.id, n);
	}),

	/** A reminder (nhắc việc) to the council's delegates or officers at a set time; stored, so restarts lose nothing. */
	scheduleReminder: authedProcedure
		.input(
			z.object({
				councilId: z.uuid(),
				runAt: civilDate(),
				title: z.string().trim().min(1).max(300),
				body: z.string().trim().max(2000).optional(),
				to: z.enum(['delegates', 'officers', 'all']).default('delegates')
			})
		)
		.use(requireCouncilRole(byCouncilId, { roles: ['chair', 'secretary'] }))
		.mutation(async ({ ctx, input }) => {
			if (input.runAt.getTime() < Date.now() - 60_000) throw new AppError('BAD_REQUEST', 'notification.runAtPast');
			const roles = input.to === 'delegates' ? (['delegate'] as const) : input.to === 'officers' ? (['chair', 'secretary', 'clerk'] as const) : (['delegate', 'chair', 'secretary', 'clerk'] as const);
			const userIds = await councilUserIds(ctx.db, input.councilId, [...roles]);
			await scheduleJob(ctx.db, { kind: 'reminder', runAt: input.runAt, payload: { userIds, title: input.title, body: input.body, councilId: input.councilId } });
			return { scheduled: true as const, recipients: userIds.length };
		})
});
