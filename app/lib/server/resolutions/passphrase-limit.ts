import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';

// Signing limits (docs/security.md, "Signing and account administration"). A signing key is opened with its
// passphrase on the server, so whoever holds a chair's or clerk's session could otherwise guess it online as fast
// as the server unlocks keys. Wrong passphrases are counted per user in the database (every instance, and a
// restarted one, enforces the same limit), the way failed logins are (auth/rate-limit.ts): after
// MAX_WRONG_PASSPHRASES within PASSPHRASE_WINDOW_MINUTES the user's signing is refused until the oldest of them
// leaves the window. Only the owner of the session is slowed: signing needs the session already.

export const PASSPHRASE_WINDOW_MINUTES = 15;
export const MAX_WRONG_PASSPHRASES = 5;

export type PassphraseAttempt = { ok: true; id: number } | { ok: false; minutes: number };

// A class of pg_advisory_xact_lock(int, int) of its own, beside the login limits' (0x4e540001, 0x4e540002).
const USER_LOCK = 0x4e540003;

/**
 * Reserves one signing attempt before the key is unlocked: the attempt is recorded as a wrong passphrase at once
 * and taken back by `passphraseAttemptDone` unless the passphrase proved wrong, so parallel calls each see the
 * ones before them. The count and the insert run under a transaction-scoped advisory lock on the user, for the
 * reason given at reserveLoginAttempt (a guarded INSERT … SELECT would not see a parallel reservation).
 */
export async function reservePassphraseAttempt(db: Db, userId: string): Promise<PassphraseAttempt> {
	return db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(${USER_LOCK}::int, hashtext(${userId}))`.execute(trx);
		// The database's clock, not this instance's: every instance then agrees on the window. The wait is until
		// the failure that reached the limit (the MAX-th most recent) leaves the window. Measured from this
		// statement, taken after the lock, not from this transaction's start (now()): a parallel attempt that began
		// after this one but took the lock first is stamped later than that start, and would count 16 minutes.
		const { rows } = await sql<{ n: number; wait_seconds: number | null }>`
			select count(*)::int as n,
				(select extract(epoch from f.at + make_interval(mins => ${PASSPHRASE_WINDOW_MINUTES}::int) - statement_timestamp())::float8
				 from signing_failures f
				 where f.user_id = ${userId} and f.at > statement_timestamp() - make_interval(mins => ${PASSPHRASE_WINDOW_MINUTES}::int)
				 order by f.at desc offset ${MAX_WRONG_PASSPHRASES - 1}::int limit 1) as wait_seconds
			from signing_failures
			where user_id = ${userId} and at > statement_timestamp() - make_interval(mins => ${PASSPHRASE_WINDOW_MINUTES}::int)`.execute(trx);
		const { n, wait_seconds } = rows[0];
		if (n >= MAX_WRONG_PASSPHRASES) return { ok: false, minutes: Math.max(1, Math.ceil((wait_seconds ?? 0) / 60)) };
		const row = await trx.insertInto('signing_failures').values({ user_id: userId }).returning('id').executeTakeFirstOrThrow();
		return { ok: true, id: Number(row.id) };
	});
}

/**
 * The attempt is over without a wrong passphrase: its reservation is taken back. When the key opened (`opened`),
 * the user's earlier failures are forgotten too (up to this reservation: a parallel one made after it still
 * counts), as a right password does for logins.
 */
export async function passphraseAttemptDone(db: Db, userId: string, attemptId: number, opened: boolean): Promise<void> {
	let q = db.deleteFrom('signing_failures').where('user_id', '=', userId);
	q = opened ? q.where('id', '<=', String(attemptId)) : q.where('id', '=', String(attemptId));
	await q.execute();
}
