/**
 * The claim (runner.ts, docs/api.md): "a failing job is retried a minute later, up to 5 attempts". Tested on the
 * runner itself against this file's own database, with a job that fails the same way every time: a reminder to a
 * user who does not exist, so the notification insert breaks the foreign key inside the job's transaction.
 *
 * No waiting for real minutes: the runner takes "now" as a parameter for choosing due jobs, so each attempt is
 * run with the stored run_at as "now". run_at itself is set by the database clock (now() + 1 minute), so it is
 * compared with the database clock read just before and just after the failing attempt.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDueJobs } from '../../app/lib/server/notifications/runner';
import { scheduleJob } from '../../app/lib/server/notifications/schedule';
import { db } from '../helpers/callers';

const MINUTE_MS = 60_000;
const DEDUPE_KEY = 'test-job-always-fails';

async function dbNow(): Promise<number> {
	// As text with microseconds: a JS Date would drop them and could make "before" look later than run_at.
	const { rows } = await sql<{ us: string }>`select (extract(epoch from clock_timestamp()) * 1000000)::bigint::text as us`.execute(db());
	return Number(rows[0].us);
}

async function jobRow() {
	const { rows } = await sql<{ attempts: number; run_at_us: string; done: boolean; last_error: string | null }>`
		select attempts, (extract(epoch from run_at) * 1000000)::bigint::text as run_at_us, done_at is not null as done, last_error
		from scheduled_jobs where dedupe_key = ${DEDUPE_KEY}`.execute(db());
	expect(rows).toHaveLength(1);
	return { ...rows[0], runAtUs: Number(rows[0].run_at_us) };
}

/** A JS Date a millisecond after (or before) a microsecond timestamp, so the comparison with run_at is unambiguous. */
const msAfter = (us: number) => new Date(Math.floor(us / 1000) + 1);
const msBefore = (us: number) => new Date(Math.floor(us / 1000) - 1);

describe('stored jobs that fail', () => {
	it('are retried a minute later each time, counted, and given up after the 5th attempt', async () => {
		// This file's database is a fresh clone of the seeded template: no other job is pending, so every
		// runDueJobs below runs exactly our job or nothing.
		expect((await db().selectFrom('scheduled_jobs').select('id').where('done_at', 'is', null).execute()).length).toBe(0);
		const ghost = randomUUID(); // no such user
		await scheduleJob(db(), { kind: 'reminder', runAt: new Date(Date.now() - 1000), payload: { userIds: [ghost], title: 'Nhắc việc' }, dedupeKey: DEDUPE_KEY });

		let row = await jobRow();
		expect({ attempts: row.attempts, done: row.done, last_error: row.last_error }).toEqual({ attempts: 0, done: false, last_error: null });

		for (let attempt = 1; attempt <= 5; attempt++) {
			// Not due a millisecond before its run_at (for attempts 2–5 that is the minute after the last failure).
			expect(await runDueJobs(db(), msBefore(row.runAtUs))).toBe(0);
			expect((await jobRow()).attempts).toBe(attempt - 1);

			const before = await dbNow();
			expect(await runDueJobs(db(), msAfter(row.runAtUs))).toBe(1);
			const after = await dbNow();

			row = await jobRow();
			expect(row.attempts).toBe(attempt);
			expect(row.last_error).toBe('insert or update on table "notifications" violates foreign key constraint "notifications_user_id_fkey"');
			// run_at = the moment of the failure + 1 minute, by the database clock.
			expect(row.runAtUs - MINUTE_MS * 1000).toBeGreaterThanOrEqual(before);
			expect(row.runAtUs - MINUTE_MS * 1000).toBeLessThanOrEqual(after);
			// Still pending after attempts 1–4; the 5th failure ends it.
			expect(row.done).toBe(attempt === 5);
		}

		// Given up: never run again, however late it gets.
		expect(await runDueJobs(db(), new Date(Date.now() + 24 * 60 * MINUTE_MS))).toBe(0);
		expect((await jobRow()).attempts).toBe(5);
		// The job never had an effect: no notification for anybody was left behind by a failed attempt.
		expect((await db().selectFrom('notifications').select('id').where('title', '=', 'Nhắc việc').execute()).length).toBe(0);
	});
});
