import type { Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database } from '../../../../db/schema.js';

type Writer = Db | Transaction<Database>;

/** Kinds of stored jobs and their payloads. */
export interface JobPayloads {
	/** A reminder (nhắc việc) to users: in-app, and by email/SMS where the user has an address. */
	reminder: { userIds: string[]; title: string; body?: string; link?: string | null; councilId?: string | null };
	/** At a follow-up task's deadline: flag it overdue if unfinished and escalate. */
	'followup.deadline': { taskId: string };
	/** Before a follow-up task's deadline: remind the assignee and the council's organisers. */
	'followup.reminder': { taskId: string };
	/** At a consultation's deadline: close it. */
	'consultation.close': { consultationId: string };
	/** Before a consultation's deadline: remind the delegates who have not answered yet. */
	'consultation.reminder': { consultationId: string };
	/** Before a convened sitting opens: remind its members (skipped if it opened, closed or moved meanwhile). */
	'sitting.reminder': { sittingId: string; startsAt: string; lead: '24h' | '1h' };
}
export type JobKind = keyof JobPayloads;

/**
 * Stores a job for the background tick. It lives in the database, so a restart loses nothing; with a
 * `dedupeKey` the same job is stored once however often it is scheduled.
 */
export async function scheduleJob<K extends JobKind>(db: Writer, job: { kind: K; runAt: Date; payload: JobPayloads[K]; dedupeKey?: string }): Promise<void> {
	await db
		.insertInto('scheduled_jobs')
		.values({ kind: job.kind, run_at: job.runAt, payload: JSON.stringify(job.payload), dedupe_key: job.dedupeKey ?? null })
		.onConflict((oc) => oc.column('dedupe_key').doNothing())
		.execute();
}
