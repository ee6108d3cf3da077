import { z } from 'zod';
import { civilDate } from '../inputs';
import { hasCityRole } from '../../auth/current-user';
import { createTask, escalations, listTasks, reportProgress, taskCouncil, taskReports } from '../../followup/service';
import { forbidden } from '../../errors';
import { router, t } from '../init';
import { READERS, checkCouncilAccess, type CouncilResolver } from '../../auth/council-access';
import { authedProcedure, byCouncilId, cityRoleProcedure, requireCouncilRole } from '../procedures';

/** Who assigns follow-up: the council's chair and secretary, and the city's standing committee. */
const ASSIGNERS = { roles: ['chair', 'secretary'], cityRoles: ['monitor', 'admin'] } as const;
const ORGANISERS = { roles: ['chair', 'secretary'] } as const;

export const byTaskId: CouncilResolver = async (ctx, input) => {
	const id = (input as { taskId?: string }).taskId;
	return id ? ((await taskCouncil(ctx.db, id))?.councilId ?? null) : null;
};

/** Progress is reported by the task's assignee or the council's chair/secretary (not by the city's monitors). */
const mayReport = t.middleware(async function mayReportProgress({ ctx, input, next }) {
	if (!ctx.user) throw forbidden();
	const task = await taskCouncil(ctx.db, (input as { taskId: string }).taskId);
	if (!task) throw forbidden();
	if (task.assigneeUserId !== ctx.user.id) checkCouncilAccess(ctx.user, task.councilId, ORGANISERS);
	return next();
});

const state = z.enum(['all', 'open', 'overdue', 'on_time', 'done']);

export const followupRouter = router({
	create: authedProcedure
		.input(
			z
				.object({
					councilId: z.uuid(),
					resolutionId: z.uuid().optional(),
					resolutionRef: z.string().trim().min(1).max(300).optional(),
					title: z.string().trim().min(1).max(500),
					agency: z.string().trim().min(1).max(300),
					assigneeUserId: z.uuid().optional(),
					deadline: civilDate(),
					expectedResult: z.string().trim().max(2000).optional()
				})
				.refine((v) => v.resolutionId || v.resolutionRef, { message: 'resolutionId | resolutionRef', path: ['resolutionRef'] })
		)
		.use(requireCouncilRole(byCouncilId, ASSIGNERS))
		.mutation(({ ctx, input }) => createTask(ctx.db, { ...input, createdBy: ctx.user.id })),

	report: authedProcedure
		.input(z.object({ taskId: z.uuid(), percent: z.number().int().min(0).max(100), text: z.string().trim().min(1).max(4000) }))
		.use(mayReport)
		.mutation(({ ctx, input }) => reportProgress(ctx.db, { ...input, userId: ctx.user.id })),

	/**
	 * Tasks of one council (readers of it), or — without councilId — of every council for the city's roles and of
	 * the caller's own councils for everyone else.
	 */
	list: authedProcedure
		.input(z.object({ councilId: z.uuid().optional(), state: state.optional() }).optional())
		.query(async ({ ctx, input }) => {
			let councilIds: string[] | null;
			if (input?.councilId) {
				checkCouncilAccess(ctx.user, input.councilId, READERS);
				councilIds = [input.councilId];
			} else councilIds = hasCityRole(ctx.user, 'monitor', 'admin') ? null : ctx.user.councils.map((c) => c.councilId);
			return listTasks(ctx.db, { councilIds, state: input?.state });
		}),

	reports: authedProcedure
		.input(z.object({ taskId: z.uuid() }))
		.use(requireCouncilRole(byTaskId, READERS))
		.query(({ ctx, input }) => taskReports(ctx.db, input.taskId)),

	/** The city's escalation view: councils with overdue tasks, worst first. */
	escalations: cityRoleProcedure('monitor', 'admin').query(({ ctx }) => escalations(ctx.db))
});
