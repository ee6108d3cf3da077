import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';

/** Failed logins and wrong signing passphrases are kept this long (the limits look back 15 minutes; the rest is for review). */
export const FAILURES_KEPT_HOURS = 24;

/**
 * Deletes expired sessions, and failed logins and wrong signing passphrases older than FAILURES_KEPT_HOURS
 * (run periodically by jobs.ts). The sessions are deleted only when there is one to delete: the statement-level
 * auth_changed trigger (migration 0007) fires on every DELETE, even of no row, and each notice empties every
 * instance's session cache. Deleting expired sessions also ends their live streams (realtime/stream-guard.ts).
 */
export async function pruneAuthRecords(db: Db): Promise<{ sessions: number; loginFailures: number; signingFailures: number }> {
	const expired = await db.selectFrom('sessions').select('token_hash').where('expires_at', '<=', sql<Date>`now()`).limit(1).executeTakeFirst();
	const sessions = expired ? Number((await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst()).numDeletedRows) : 0;
	const before = sql<Date>`now() - make_interval(hours => ${FAILURES_KEPT_HOURS}::int)`;
	const logins = await db.deleteFrom('login_failures').where('at', '<', before).executeTakeFirst();
	const signing = await db.deleteFrom('signing_failures').where('at', '<', before).executeTakeFirst();
	return { sessions, loginFailures: Number(logins.numDeletedRows), signingFailures: Number(signing.numDeletedRows) };
}
