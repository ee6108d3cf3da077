import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { ConsultationChoice, Database } from '../../../../db/schema.js';
import { AppError } from '../errors';
import { scheduleJob } from '../notifications/schedule';
import { consultationChanged, councilChanged, councilUserIds, notifyUsers } from '../notifications/service';
import { seatedCount } from '../sittings/state';
import { csvDocument } from '../csv';

type Trx = Transaction<Database>;

const HOUR = 3_600_000;

export async function createConsultation(db: Db, input: { councilId: string; title: string; question: string; deadline: Date; createdBy: string }) {
	if (input.deadline.getTime() <= Date.now()) throw new AppError('BAD_REQUEST', 'consultation.deadlinePast');
	return db.transaction().execute(async (trx) => {
		const seated = await seatedCount(trx, input.councilId);
		const row = await trx
			.insertInto('consultations')
			.values({ council_id: input.councilId, title: input.title, question: input.question, deadline: input.deadline, seated, created_by: input.createdBy })
			.returning('id')
			.executeTakeFirstOrThrow();
		await scheduleJob(trx, { kind: 'consultation.close', runAt: input.deadline, payload: { consultationId: row.id }, dedupeKey: `consultation.close:${row.id}` });
		const remindAt = new Date(input.deadline.getTime() - 24 * HOUR);
		if (remindAt.getTime() > Date.now()) {
			await scheduleJob(trx, { kind: 'consultation.reminder', runAt: remindAt, payload: { consultationId: row.id }, dedupeKey: `consultation.reminder:${row.id}` });
		}
		const delegates = await councilUserIds(trx, input.councilId, ['delegate']);
		await notifyUsers(trx, { userIds: delegates, kind: 'consultation.opened', title: input.title, body: input.question.slice(0, 200), link: `/consultations/${row.id}`, councilId: input.councilId });
		await councilChanged(trx, input.councilId);
		return { consultationId: row.id, seated };
	});
}

export async function consultationCouncil(db: Db, id: string): Promise<string | null> {
	return (await db.selectFrom('consultations').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
}

/**
 * One answer per delegate: the primary key (consultation_id, user_id) enforces it, so even two concurrent
 * answers of one delegate store one. After the deadline nothing is accepted, whether or not the tick closed it.
 */
export async function answerConsultation(db: Db, input: { consultationId: string; userId: string; choice: ConsultationChoice; comment?: string | null }) {
	return db.transaction().execute(async (trx) => {
		const c = await trx.selectFrom('consultations').select(['id', 'council_id', 'status', 'deadline']).where('id', '=', input.consultationId).forShare().executeTakeFirst();
		if (!c) throw new AppError('NOT_FOUND', 'consultation.notFound');
		if (c.status !== 'open' || c.deadline.getTime() <= Date.now()) throw new AppError('CONFLICT', 'consultation.closed');
		const delegate = await trx
			.selectFrom('council_members')
			.select('id')
			.where('council_id', '=', c.council_id)
			.where('user_id', '=', input.userId)
			.where('role', '=', 'delegate')
			.where('active', '=', true)
			.executeTakeFirst();
		if (!delegate) throw new AppError('FORBIDDEN', 'consultation.notDelegate');
		if (input.choice === 'comment' && !input.comment) throw new AppError('BAD_REQUEST', 'consultation.commentRequired');
		const inserted = await trx
			.insertInto('consultation_answers')
			.values({ consultation_id: c.id, user_id: input.userId, choice: input.choice, comment: input.comment ?? null })
			.onConflict((oc) => oc.columns(['consultation_id', 'user_id']).doNothing())
			.returning('user_id')
			.executeTakeFirst();
		if (!inserted) throw new AppError('CONFLICT', 'consultation.alreadyAnswered');
		await councilChanged(trx, c.council_id);
		await consultationChanged(trx, c.id);
		return { accepted: true as const };
	});
}

export async function closeConsultation(trx: Trx, consultationId: string, now = new Date()): Promise<boolean> {
	const closed = await trx
		.updateTable('consultations')
		.set({ status: 'closed', closed_at: now })
		.where('id', '=', consultationId)
		.where('status', '=', 'open')
		.where('deadline', '<=', now)
		.returning(['council_id', 'title', 'created_by'])
		.executeTakeFirst();
	if (!closed) return false;
	if (closed.created_by) {
		await notifyUsers(trx, { userIds: [closed.created_by], kind: 'consultation.closed', title: closed.title, link: `/consultations/${consultationId}`, councilId: closed.council_id });
	}
	await councilChanged(trx, closed.council_id);
	await consultationChanged(trx, consultationId);
	return true;
}

export async function closeDueConsultations(db: Db, now = new Date()): Promise<number> {
	const due = await db.selectFrom('consultations').select('id').where('status', '=', 'open').where('deadline', '<=', now).limit(200).execute();
	let n = 0;
	for (const d of due) if (await db.transaction().execute((trx) => closeConsultation(trx, d.id, now))) n++;
	return n;
}

export async function remindConsultation(trx: Trx, consultationId: string): Promise<void> {
	const c = await trx.selectFrom('consultations').select(['council_id', 'title', 'status', 'deadline']).where('id', '=', consultationId).executeTakeFirst();
	if (!c || c.status !== 'open') return;
	const { rows } = await sql<{ user_id: string }>`
		select m.user_id from council_members m
		where m.council_id = ${c.council_id} and m.role = 'delegate' and m.active
		and not exists (select 1 from consultation_answers a where a.consultation_id = ${consultationId} and a.user_id = m.user_id)`.execute(trx);
	await notifyUsers(trx, { userIds: rows.map((r) => r.user_id), kind: 'consultation.reminder', title: c.title, body: c.deadline.toISOString(), link: `/consultations/${consultationId}`, councilId: c.council_id });
}

/** The live aggregate: counts by choice, who has not answered (a count), and the comments. */
export async function consultationResult(db: Db, consultationId: string, viewerId?: string) {
	const c = await db
		.selectFrom('consultations as k')
		.innerJoin('councils as c', 'c.id', 'k.council_id')
		.select(['k.id', 'k.council_id', 'c.name as council_name', 'k.title', 'k.question', 'k.deadline', 'k.status', 'k.seated', 'k.created_at', 'k.closed_at'])
		.where('k.id', '=', consultationId)
		.executeTakeFirst();
	if (!c) throw new AppError('NOT_FOUND', 'consultation.notFound');
	const answers = await db
		.selectFrom('consultation_answers as a')
		.innerJoin('users as u', 'u.id', 'a.user_id')
		.select(['a.user_id', 'u.full_name', 'u.username', 'a.choice', 'a.comment', 'a.answered_at'])
		.where('a.consultation_id', '=', consultationId)
		.orderBy('a.answered_at')
		.execute();
	const count = (choice: ConsultationChoice) => answers.filter((a) => a.choice === choice).length;
	const closed = c.status === 'closed' || c.deadline.getTime() <= Date.now();
	return {
		consultationId: c.id,
		councilId: c.council_id,
		councilName: c.council_name,
		title: c.title,
		question: c.question,
		deadline: c.deadline.toISOString(),
		status: closed ? ('closed' as const) : ('open' as const),
		seated: c.seated,
		agree: count('agree'),
		disagree: count('disagree'),
		comment: count('comment'),
		answered: answers.length,
		notAnswered: Math.max(0, c.seated - answers.length),
		myAnswer: viewerId ? (answers.find((a) => a.user_id === viewerId)?.choice ?? null) : null,
		answers: answers.map((a) => ({ userId: a.user_id, fullName: a.full_name, username: a.username, choice: a.choice, comment: a.comment, answeredAt: a.answered_at.toISOString() }))
	};
}

export async function listConsultations(db: Db, councilIds: string[]) {
	if (councilIds.length === 0) return [];
	const rows = await db
		.selectFrom('consultations as k')
		.innerJoin('councils as c', 'c.id', 'k.council_id')
		.select([
			'k.id',
			'k.council_id',
			'c.name as council_name',
			'k.title',
			'k.deadline',
			'k.status',
			'k.seated',
			sql<number>`(select count(*)::int from consultation_answers a where a.consultation_id = k.id)`.as('answered')
		])
		.where('k.council_id', 'in', councilIds)
		.orderBy('k.created_at', 'desc')
		.limit(200)
		.execute();
	const now = Date.now();
	return rows.map((r) => ({
		id: r.id,
		councilId: r.council_id,
		councilName: r.council_name,
		title: r.title,
		deadline: r.deadline.toISOString(),
		status: r.status === 'closed' || r.deadline.getTime() <= now ? ('closed' as const) : ('open' as const),
		seated: r.seated,
		answered: r.answered
	}));
}

/** CSV (csv.ts): the summary, then one row per answer. */
export function consultationCsv(result: Awaited<ReturnType<typeof consultationResult>>, labels: Record<string, string>): string {
	const lines = [
		[labels.title, result.title],
		[labels.question, result.question],
		[labels.deadline, result.deadline],
		[labels.status, result.status],
		[labels.seated, result.seated],
		[labels.agree, result.agree],
		[labels.disagree, result.disagree],
		[labels.comment, result.comment],
		[labels.notAnswered, result.notAnswered],
		[],
		[labels.username, labels.fullName, labels.choice, labels.commentText, labels.answeredAt],
		...result.answers.map((a) => [a.username, a.fullName, labels[a.choice] ?? a.choice, a.comment ?? '', a.answeredAt])
	];
	return csvDocument(lines);
}
