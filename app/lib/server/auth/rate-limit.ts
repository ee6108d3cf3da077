import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';

// Login limits (docs/security.md, "Login limits"). Failed logins are counted in the database so every instance,
// and a restarted one, enforces the same limits. They aim at the guesser, not at the account's owner:
// - one address may fail MAX_FAILURES_PER_ACCOUNT_AND_IP times on one account, then that pair is refused;
// - one address may fail MAX_FAILURES_PER_IP times in all (spraying many usernames), then it is refused;
// - once an account has failed MAX_FAILURES_PER_ACCOUNT times from all addresses together (a guesser spread over
//   many addresses), every address that has already failed on it is refused, while an address with no failure on
//   it keeps its attempts: the owner at their own device is never locked out by someone else's guesses, and a
//   distributed guesser gets one guess per fresh address instead of five.
// Each limit holds for LOGIN_WINDOW_MINUTES after the failures that reached it.

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT_AND_IP = 5;
export const MAX_FAILURES_PER_IP = 30;
export const MAX_FAILURES_PER_ACCOUNT = 50;

export type LoginBlock = { reason: 'accountFromIp' | 'ip'; minutes: number };
export type LoginAttempt = { ok: true; id: number } | { ok: false; block: LoginBlock };

// Classes of pg_advisory_xact_lock(int, int), so these locks cannot collide with other uses of advisory locks.
const ACCOUNT_LOCK = 0x4e540001;
const IP_LOCK = 0x4e540002;

interface FailureCounts {
	accountFromIp: number;
	ip: number;
	account: number;
}

/** Which limit, if any, refuses one more attempt. */
export function blockFor(counts: FailureCounts): LoginBlock | null {
	const minutes = LOGIN_WINDOW_MINUTES;
	if (counts.accountFromIp >= MAX_FAILURES_PER_ACCOUNT_AND_IP) return { reason: 'accountFromIp', minutes };
	if (counts.ip >= MAX_FAILURES_PER_IP) return { reason: 'ip', minutes };
	if (counts.account >= MAX_FAILURES_PER_ACCOUNT && counts.accountFromIp > 0) return { reason: 'accountFromIp', minutes };
	return null;
}

/**
 * Reserves one login attempt before the password is hashed: the attempt is recorded as a failure at once (and
 * taken back by loginSucceeded), so parallel requests and batched calls each see the ones before them.
 *
 * The count and the insert run under transaction-scoped advisory locks on the account and on the address (always
 * in that order, so two reservations never wait on each other in a cycle). A single INSERT … SELECT guarded by the
 * count would not do: under READ COMMITTED its snapshot is taken when it starts, so it would not see the rows of a
 * parallel reservation committed while it waited.
 */
export async function reserveLoginAttempt(db: Db, username: string, ip: string): Promise<LoginAttempt> {
	return db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK}::int, hashtext(${username}))`.execute(trx);
		await sql`select pg_advisory_xact_lock(${IP_LOCK}::int, hashtext(${ip}))`.execute(trx);
		const block = blockFor(await countFailures(trx, username, ip));
		if (block) return { ok: false, block };
		const row = await trx.insertInto('login_failures').values({ username, ip }).returning('id').executeTakeFirstOrThrow();
		return { ok: true, id: Number(row.id) };
	});
}

async function countFailures(db: Db, username: string, ip: string): Promise<FailureCounts> {
	// The database's clock, not this instance's: every instance then agrees on the window.
	const since = sql<Date>`now() - make_interval(mins => ${LOGIN_WINDOW_MINUTES}::int)`;
	const counts = await db
		.selectFrom('login_failures')
		.select((eb) => [
			eb.fn.countAll<number>().filterWhere(eb.and([eb('username', '=', username), eb('ip', '=', ip)])).as('accountFromIp'),
			eb.fn.countAll<number>().filterWhere('ip', '=', ip).as('ip'),
			eb.fn.countAll<number>().filterWhere('username', '=', username).as('account')
		])
		.where('at', '>', since)
		.where((eb) => eb.or([eb('username', '=', username), eb('ip', '=', ip)]))
		.executeTakeFirstOrThrow();
	return { accountFromIp: Number(counts.accountFromIp), ip: Number(counts.ip), account: Number(counts.account) };
}

/**
 * A right password: forgets this address's failures on this account, up to and including the reservation, so
 * the owner starts afresh. Other addresses' failures stay (a guesser's count is not reset by the owner's login),
 * and so do reservations made after this one (a parallel guess still counts).
 */
export async function loginSucceeded(db: Db, username: string, ip: string, attemptId: number): Promise<void> {
	await db.deleteFrom('login_failures').where('username', '=', username).where('ip', '=', ip).where('id', '<=', String(attemptId)).execute();
}
