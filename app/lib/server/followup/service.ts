import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database } from '../../../../db/schema.js';
import { AppError } from '../errors';
import { scheduleJob } from '../notifications/schedule';
import { cityMonitorIds, councilChanged, councilUserIds, notifyUsers } from '../notifications/service';
import { resolutionsAvailable } from '../monitor/schema-probe';

type Trx = Transaction<Database>;
type Writer = Db | Trx;

const DAY = 86_400_000;
/** Reminder before a task's deadline. */
export const FOLLOWUP_REMIND_BEFORE_MS = 3 * DAY;

export type TaskState = 'on_time' | 'overdue' | 'done' | 'done_late';

export interface NewTask {
	councilId: string;
	resolutionId?: string | null;
	resolutionRef?: string | null;
	title: string;
	agency: string;
	assigneeUserId?: string | null;
	deadline: Date;
	expectedResult?: string | null;
	createdBy: string;
}

export async function createTask(db: Db, input: NewTask): Promise<{ taskId: string }> {
	if (!input.resolutionId && !input.resolutionRef) throw new AppError('BAD_REQUEST', 'followup.referenceRequired');
	return db.transaction().execute(async (trx) => {
		let ref = input.resolutionRef ?? null;
		if (input.resolutionId) {
			// The resolution must be this council's and issued (or at least adopted), when resolutions exist.
			if (await resolutionsAvailable(trx)) {
				const r = await trx.selectFrom('resolutions').select(['council_id', 'status', 'number', 'title']).where('id', '=', input.resolutionId).executeTakeFirst();
				if (!r || r.council_id !== input.councilId) throw new AppError('NOT_FOUND', 'followup.resolutionNotFound');
				if (r.status === 'draft') throw new AppError('BAD_REQUEST', 'followup.resolutionNotAdopted');
				ref ??= [r.number, r.title].filter(Boolean).join(' — ');
			}
		}
		if (input.assigneeUserId) {
			// Only the council's own people: an active user holding an active role in it. Anyone in the city would let
			// a ward's officers send their free-text notice (title, agency) to any account, the city's chair included.
			// There are no linked bodies to extend this to. A site operator stands for a conference room, not for a
			// person who reports progress (the assignment form leaves them out too).
			const member = await trx
				.selectFrom('council_members as m')
				.innerJoin('users as u', 'u.id', 'm.user_id')
				.select('m.user_id')
				.where('m.council_id', '=', input.councilId)
				.where('m.user_id', '=', input.assigneeUserId)
				.where('m.active', '=', true)
				.where('m.role', '!=', 'site_operator')
				.where('u.active', '=', true)
				.executeTakeFirst();
			if (!member) throw new AppError('BAD_REQUEST', 'followup.assigneeNotMember');
		}
		const task = await trx
			.insertInto('followup_tasks')
			.values({
				council_id: input.councilId,
				resolution_id: input.resolutionId ?? null,
				resolution_ref: ref,
				title: input.title,
				agency: input.agency,
				assignee_user_id: input.assigneeUserId ?? null,
				deadline: input.deadline,
				expected_result: input.expectedResult ?? null,
				created_by: input.createdBy
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await scheduleJob(trx, { kind: 'followup.deadline', runAt: input.deadline, payload: { taskId: task.id }, dedupeKey: `followup.deadline:${task.id}` });
		const remindAt = new Date(input.deadline.getTime() - FOLLOWUP_REMIND_BEFORE_MS);
		if (remindAt.getTime() > Date.now()) {
			await scheduleJob(trx, { kind: 'followup.reminder', runAt: remindAt, payload: { taskId: task.id }, dedupeKey: `followup.reminder:${task.id}` });
		}
		if (input.assigneeUserId) {
			await notifyUsers(trx, { userIds: [input.assigneeUserId], kind: 'followup.assigned', title: input.title, body: input.agency, link: '/followup', councilId: input.councilId });
		}
		await councilChanged(trx, input.councilId);
		return { taskId: task.id };
	});
}

export async function taskCouncil(db: Db, taskId: string): Promise<{ councilId: string; assigneeUserId: string | null } | null> {
	const r = await db.selectFrom('followup_tasks').select(['council_id', 'assignee_user_id']).where('id', '=', taskId).executeTakeFirst();
	return r ? { councilId: r.council_id, assigneeUserId: r.assignee_user_id } : null;
}

/** A progress report; 100 % completes the task. A completed task takes no more reports. */
export async function reportProgress(db: Db, input: { taskId: string; percent: number; text: string; userId: string }) {
	return db.transaction().execute(async (trx) => {
		const task = await trx.selectFrom('followup_tasks').selectAll().where('id', '=', input.taskId).forUpdate().executeTakeFirst();
		if (!task) throw new AppError('NOT_FOUND', 'followup.notFound');
		if (task.status === 'done') throw new AppError('CONFLICT', 'followup.alreadyDone');
		const now = new Date();
		await trx.insertInto('followup_reports').values({ task_id: task.id, percent: input.percent, text: input.text, reported_by: input.userId }).execute();
		const done = input.percent >= 100;
		await trx
			.updateTable('followup_tasks')
			.set({ progress: input.percent, status: done ? 'done' : 'open', completed_at: done ? now : null })
			.where('id', '=', task.id)
			.execute();
		await councilChanged(trx, task.council_id);
		return { taskId: task.id, progress: input.percent, status: done ? ('done' as const) : ('open' as const), state: taskState(done ? 'done' : 'open', task.deadline, done ? now : null, now) };
	});
}

export function taskState(status: string, deadline: Date, completedAt: Date | null, now = new Date()): TaskState {
	if (status === 'done') return completedAt && completedAt > deadline ? 'done_late' : 'done';
	return deadline.getTime() <= now.getTime() ? 'overdue' : 'on_time';
}

/**
 * Flags open tasks whose deadline has come (once: overdue_at), notifies the assignee, the council's chair and
 * secretary and the city's monitors. With `taskId`, only that task. Returns how many were flagged.
 */
export async function flagOverdueTasks(trx: Trx, now = new Date(), taskId?: string): Promise<number> {
	let q = trx
		.updateTable('followup_tasks')
		.set({ overdue_at: now })
		.where('status', '=', 'open')
		.where('overdue_at', 'is', null)
		.where('deadline', '<=', now);
	if (taskId) q = q.where('id', '=', taskId);
	const flagged = await q.returning(['id', 'council_id', 'title', 'agency', 'assignee_user_id']).execute();
	if (flagged.length === 0) return 0;
	const monitors = await cityMonitorIds(trx);
	const councils = new Set<string>();
	for (const t of flagged) {
		councils.add(t.council_id);
		const officers = await councilUserIds(trx, t.council_id, ['chair', 'secretary']);
		await notifyUsers(trx, {
			userIds: [...officers, ...monitors, ...(t.assignee_user_id ? [t.assignee_user_id] : [])],
			kind: 'followup.overdue',
			title: t.title,
			body: t.agency,
			link: '/followup?state=overdue',
			councilId: t.council_id
		});
	}
	for (const c of councils) await councilChanged(trx, c);
	return flagged.length;
}

export async function remindTask(trx: Trx, taskId: string): Promise<void> {
	const t = await trx.selectFrom('followup_tasks').select(['council_id', 'title', 'agency', 'assignee_user_id', 'status', 'deadline']).where('id', '=', taskId).executeTakeFirst();
	if (!t || t.status === 'done') return;
	const officers = await councilUserIds(trx, t.council_id, ['chair', 'secretary']);
	await notifyUsers(trx, {
		userIds: [...officers, ...(t.assignee_user_id ? [t.assignee_user_id] : [])],
		kind: 'followup.reminder',
		title: t.title,
		body: `${t.agency} · ${t.deadline.toISOString()}`,
		link: '/followup',
		councilId: t.council_id
	});
}

export interface TaskFilter {
	councilIds?: string[] | null;
	state?: 'all' | 'open' | 'overdue' | 'on_time' | 'done';
	limit?: number;
}

export async function listTasks(db: Db, filter: TaskFilter) {
	let q = db
		.selectFrom('followup_tasks as t')
		.innerJoin('councils as c', 'c.id', 't.council_id')
		.leftJoin('users as u', 'u.id', 't.assignee_user_id')
		.select([
			't.id',
			't.council_id',
			'c.name as council_name',
			'c.code as council_code',
			't.resolution_id',
			't.resolution_ref',
			't.title',
			't.agency',
			't.assignee_user_id',
			'u.full_name as assignee_name',
			't.deadline',
			't.expected_result',
			't.progress',
			't.status',
			't.overdue_at',
			't.completed_at',
			't.created_at',
			sql<string | null>`(select r.text from followup_reports r where r.task_id = t.id order by r.created_at desc limit 1)`.as('last_report')
		]);
	if (filter.councilIds) q = q.where('t.council_id', 'in', filter.councilIds.length ? filter.councilIds : ['00000000-0000-0000-0000-000000000000']);
	const state = filter.state ?? 'all';
	if (state === 'open') q = q.where('t.status', '=', 'open');
	if (state === 'done') q = q.where('t.status', '=', 'done');
	if (state === 'overdue') q = q.where('t.status', '=', 'open').where('t.deadline', '<=', sql<Date>`now()`);
	if (state === 'on_time') q = q.where('t.status', '=', 'open').where('t.deadline', '>', sql<Date>`now()`);
	const rows = await q.orderBy('t.deadline').limit(filter.limit ?? 500).execute();
	const now = new Date();
	return rows.map((r) => ({
		id: r.id,
		councilId: r.council_id,
		councilName: r.council_name,
		councilCode: r.council_code,
		resolutionId: r.resolution_id,
		resolutionRef: r.resolution_ref,
		title: r.title,
		agency: r.agency,
		assigneeUserId: r.assignee_user_id,
		assigneeName: r.assignee_name,
		deadline: r.deadline.toISOString(),
		expectedResult: r.expected_result,
		progress: r.progress,
		status: r.status,
		state: taskState(r.status, r.deadline, r.completed_at, now),
		overdueAt: r.overdue_at?.toISOString() ?? null,
		completedAt: r.completed_at?.toISOString() ?? null,
		lastReport: r.last_report
	}));
}

export async function taskReports(db: Db, taskId: string) {
	const rows = await db
		.selectFrom('followup_reports as r')
		.leftJoin('users as u', 'u.id', 'r.reported_by')
		.select(['r.id', 'r.percent', 'r.text', 'r.created_at', 'u.full_name'])
		.where('r.task_id', '=', taskId)
		.orderBy('r.created_at')
		.execute();
	return rows.map((r) => ({ id: r.id, percent: r.percent, text: r.text, createdAt: r.created_at.toISOString(), reporter: r.full_name }));
}

/** The city's escalation view: councils with overdue tasks, worst first. */
export async function escalations(db: Writer) {
	const { rows } = await sql<{ council_id: string; name: string; code: string; kind: string; overdue: number; oldest_deadline: Date; open: number }>`
		select t.council_id, c.name, c.code, c.kind,
			count(*) filter (where t.deadline <= now())::int as overdue,
			min(t.deadline) filter (where t.deadline <= now()) as oldest_deadline,
			count(*)::int as open
		from followup_tasks t join councils c on c.id = t.council_id
		where t.status = 'open'
		group by t.council_id, c.name, c.code, c.kind
		having count(*) filter (where t.deadline <= now()) > 0
		order by overdue desc, oldest_deadline`.execute(db);
	const now = Date.now();
	return rows.map((r) => ({
		councilId: r.council_id,
		councilName: r.name,
		councilCode: r.code,
		kind: r.kind,
		overdue: r.overdue,
		open: r.open,
		oldestDeadline: r.oldest_deadline.toISOString(),
		daysOverdue: Math.floor((now - r.oldest_deadline.getTime()) / DAY)
	}));
}
