import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { closeConsultation, closeDueConsultations, remindConsultation } from '../consultations/service';
import { flagOverdueTasks, remindTask } from '../followup/service';
import { log } from '../log';
import { remindSitting } from '../sittings/invitations';
import { messageAdapter } from './adapters';
import type { JobKind, JobPayloads } from './schedule';
import { notifyUsers } from './service';
import type { Transaction } from 'kysely';
import type { Database } from '../../../../db/schema.js';

type Trx = Transaction<Database>;
type Handler<K extends JobKind> = (trx: Trx, payload: JobPayloads[K], now: Date) => Promise<void>;

const MAX_ATTEMPTS = 5;

async function sendReminder(trx: Trx, p: JobPayloads['reminder']): Promise<void> {
	await notifyUsers(trx, { userIds: p.userIds, kind: 'reminder', title: p.title, body: p.body, link: p.link, councilId: p.councilId });
}

const handlers: { [K in JobKind]: Handler<K> } = {
	reminder: (trx, p) => sendReminder(trx, p),
	'followup.deadline': async (trx, p, now) => void (await flagOverdueTasks(trx, now, p.taskId)),
	'followup.reminder': (trx, p) => remindTask(trx, p.taskId),
	'consultation.close': async (trx, p, now) => void (await closeConsultation(trx, p.consultationId, now)),
	'consultation.reminder': (trx, p) => remindConsultation(trx, p.consultationId),
	'sitting.reminder': (trx, p, now) => remindSitting(trx, p, now)
};

/** Jobs whose notifications also go out by email/SMS, and the notification kinds they create. */
const OUTSIDE_JOBS = ['reminder', 'followup.deadline', 'followup.reminder', 'consultation.reminder', 'sitting.reminder'];
const OUTSIDE_KINDS = ['reminder', 'followup.overdue', 'followup.reminder', 'consultation.reminder', 'sitting.reminder'];

/**
 * Email/SMS copies of the notifications a job created, sent after its commit (never inside a transaction).
 * `createdAt` is the job transaction's timestamp (text, to keep PostgreSQL's microseconds): every row it inserted
 * carries exactly that, so a job running at the same time in another runner is never sent twice.
 */
async function deliverOutside(db: Db, createdAt: string, jobKind: string): Promise<void> {
	if (!OUTSIDE_JOBS.includes(jobKind)) return;
	const rows = await db
		.selectFrom('notifications as n')
		.innerJoin('users as u', 'u.id', 'n.user_id')
		.select(['n.title', 'n.body', 'u.email', 'u.phone'])
		.where(sql<boolean>`n.created_at = ${createdAt}::timestamptz`)
		.where('n.kind', 'in', OUTSIDE_KINDS)
		.where((eb) => eb.or([eb('u.email', 'is not', null), eb('u.phone', 'is not', null)]))
		.limit(500)
		.execute();
	const adapter = messageAdapter(db);
	for (const r of rows) {
		if (r.email) await adapter.send({ channel: 'email', to: r.email, subject: r.title, body: r.body });
		if (r.phone) await adapter.send({ channel: 'sms', to: r.phone, subject: r.title, body: r.body });
	}
}

/**
 * Runs every stored job that fell due, each in its own transaction (the row is locked with SKIP LOCKED, so
 * several instances never run one twice). A failing job is retried a minute later, up to 5 attempts.
 * Returns how many jobs ran.
 */
export async function runDueJobs(db: Db, now = new Date(), limit = 200): Promise<number> {
	let ran = 0;
	while (ran < limit) {
		let job: { id: string; kind: string; createdAt: string } | undefined;
		try {
			job = await db.transaction().execute(async (trx) => {
				const row = await trx
					.selectFrom('scheduled_jobs')
					.select(['id', 'kind', 'payload', 'attempts'])
					.where('done_at', 'is', null)
					.where('run_at', '<=', now)
					.orderBy('run_at')
					.limit(1)
					.forUpdate()
					.skipLocked()
					.executeTakeFirst();
				if (!row) return undefined;
				const handler = handlers[row.kind as JobKind] as Handler<JobKind> | undefined;
				if (!handler) throw Object.assign(new Error(`unknown job kind ${row.kind}`), { jobId: row.id });
				try {
					await handler(trx, row.payload as never, now);
				} catch (err) {
					throw Object.assign(err instanceof Error ? err : new Error(String(err)), { jobId: row.id });
				}
				await trx.updateTable('scheduled_jobs').set({ done_at: new Date(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute();
				const { rows } = await sql<{ at: string }>`select now()::text as at`.execute(trx);
				return { id: row.id, kind: row.kind, createdAt: rows[0].at };
			});
		} catch (err) {
			const jobId = (err as { jobId?: string }).jobId;
			if (!jobId) throw err;
			log.warn('stored job failed', { jobId, err });
			await sql`update scheduled_jobs set attempts = attempts + 1, last_error = ${String((err as Error).message).slice(0, 500)},
				run_at = now() + interval '1 minute', done_at = case when attempts + 1 >= ${MAX_ATTEMPTS} then now() else null end
				where id = ${jobId}`.execute(db);
			ran++;
			continue;
		}
		if (!job) break;
		ran++;
		await deliverOutside(db, job.createdAt, job.kind).catch((err) => log.warn('message delivery failed', { err }));
	}
	return ran;
}

/**
 * One tick of the city view's background work: stored jobs, and — as a safety net for rows that have no job
 * (e.g. created by an import) — the deadlines themselves: overdue tasks are flagged, due consultations closed.
 */
export async function cityTick(db: Db, now = new Date()): Promise<{ jobs: number; overdue: number; closed: number }> {
	const jobs = await runDueJobs(db, now);
	const overdue = await db.transaction().execute((trx) => flagOverdueTasks(trx, now));
	const closed = await closeDueConsultations(db, now);
	return { jobs, overdue, closed };
}
