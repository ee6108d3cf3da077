import { z } from 'zod';
import type { Db } from '../../../../../db/client.js';
import { loadUser } from '../../auth/current-user';
import { dummyPasswordHash, inPasswordCheckSlot, verifyPassword } from '../../auth/password';
import { loginSucceeded, reserveLoginAttempt, type LoginBlock } from '../../auth/rate-limit';
import { SlotsFullError } from '../../auth/work-slots';
import { forgetSession } from '../../auth/cached-sessions';
import { SESSION_COOKIE, SESSION_TTL_HOURS, createSession, deleteSession } from '../../auth/session';
import { AppError } from '../../errors';
import { router } from '../init';
import { authedProcedure, publicProcedure } from '../procedures';

/** Ends a session: in the database, and at once in this instance's cache (the database's notice tells the others). */
async function dropSession(db: Db, token: string) {
	await deleteSession(db, token);
	forgetSession(token);
}

function blocked(block: LoginBlock): AppError {
	return new AppError('TOO_MANY_REQUESTS', block.reason === 'ip' ? 'auth.ipLimited' : 'auth.accountIpLimited', { minutes: block.minutes });
}

/**
 * The id of the active user with this username and password, or an error to answer with. The attempt is reserved
 * (counted as a failure) before the hash is computed, so no parallel or batched guess passes a limit; the whole
 * check holds one of the few argon2 slots, which also bounds the reservations in flight per instance.
 */
async function checkCredentials(db: Db, username: string, password: string, ip: string): Promise<string> {
	try {
		return await inPasswordCheckSlot(async () => {
			const attempt = await reserveLoginAttempt(db, username, ip);
			if (!attempt.ok) throw blocked(attempt.block);
			const user = await db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', username).where('active', '=', true).executeTakeFirst();
			// Verify against a dummy hash for unknown users, so response time does not reveal which accounts exist.
			const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), password);
			// A failure needs no further write: the reservation already counts it.
			if (!user || !ok) throw new AppError('UNAUTHORIZED', 'auth.invalidCredentials');
			await loginSucceeded(db, username, ip, attempt.id);
			return user.id;
		});
	} catch (err) {
		if (err instanceof SlotsFullError) throw new AppError('SERVICE_UNAVAILABLE', 'auth.busy');
		throw err;
	}
}

const credentials = z.object({
	username: z.string().trim().toLowerCase().min(1).max(100),
	password: z.string().min(1).max(256)
});

export const authRouter = router({
	login: publicProcedure.input(credentials).mutation(async ({ ctx, input }) => {
		const userId = await checkCredentials(ctx.db, input.username, input.password, ctx.ip);
		// A fresh token on every login, and the session the browser came with is dropped (no session fixation).
		if (ctx.sessionToken) await dropSession(ctx.db, ctx.sessionToken);
		const session = await createSession(ctx.db, userId, { ip: ctx.ip, userAgent: ctx.userAgent });
		ctx.cookies.set(SESSION_COOKIE, session.token, { maxAgeSeconds: SESSION_TTL_HOURS * 3600 });
		await ctx.db.insertInto('audit_log').values({ user_id: userId, action: 'auth.login', details: JSON.stringify({ ip: ctx.ip }) }).execute();
		return { user: await loadUser(ctx.db, userId), expiresAt: session.expiresAt.toISOString() };
	}),

	logout: authedProcedure.mutation(async ({ ctx }) => {
		if (ctx.sessionToken) await dropSession(ctx.db, ctx.sessionToken);
		ctx.cookies.clear(SESSION_COOKIE);
		return { ok: true as const };
	}),

	/** The signed-in user with their roles per council, or null when nobody is signed in. */
	me: publicProcedure.query(({ ctx }) => ctx.user)
});
