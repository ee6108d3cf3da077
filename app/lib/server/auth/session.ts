import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../../db/client.js';

export const SESSION_COOKIE = 'nts_session';
export const SESSION_TTL_HOURS = 12;

export function hashToken(token: string): string {
	return createHash('sha256').update(token).digest('hex');
}

/** The cookie holds a random token; the database keeps only its hash, so a dump cannot be replayed. */
export async function createSession(db: Db, userId: string, meta: { ip: string; userAgent: string | null }) {
	const token = randomBytes(32).toString('base64url');
	const expiresAt = new Date(Date.now() + SESSION_TTL_HOURS * 3600_000);
	await db
		.insertInto('sessions')
		.values({ token_hash: hashToken(token), user_id: userId, expires_at: expiresAt, ip: meta.ip, user_agent: meta.userAgent })
		.execute();
	return { token, expiresAt };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
	await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
