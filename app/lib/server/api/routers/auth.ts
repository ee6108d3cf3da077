import { z } from 'zod';
import type { Db } from '../../../../../db/client.js';
import { loadUser } from '../../auth/current-user';
import { dummyPasswordHash, verifyPassword } from '../../auth/password';
import { clearLoginFailures, loginBlock, recordLoginFailure } from '../../auth/rate-limit';
import { forgetSession } from '../../auth/cached-sessions';
import { SESSION_COOKIE, SESSION_TTL_HOURS, createSession, deleteSession } from '../../auth/session';
import { AppError } from '../errors';
import { router } from '../init';
import { authedProcedure, publicProcedure } from '../procedures';

/** Ends a session: in the database, and at once in this instance's cache (the database's notice tells the others). */
async function dropSession(db: Db, token: string) {
	await deleteSession(db, token);
	forgetSession(token);
}

const credentials = z.object({
	username: z.string().trim().toLowerCase().min(1).max(100),
	password: z.string().min(1).max(256)
});

export const authRouter = router({
	login: publicProcedure.input(credentials).mutation(async ({ ctx, input }) => {
		const block = await loginBlock(ctx.db, input.username, ctx.ip);
		if (block) {
			throw new AppError('TOO_MANY_REQUESTS', block.reason === 'account' ? 'auth.accountLocked' : 'auth.ipLimited', { minutes: block.minutes });
		}
		const user = await ctx.db
			.selectFrom('users')
			.select(['id', 'password_hash'])
			.where('username', '=', input.username)
			.where('active', '=', true)
			.executeTakeFirst();
		// Verify against a dummy hash for unknown users, so response time does not reveal which accounts exist.
		const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), input.password);
		if (!user || !ok) {
			await recordLoginFailure(ctx.db, input.username, ctx.ip);
			throw new AppError('UNAUTHORIZED', 'auth.invalidCredentials');
		}
		await clearLoginFailures(ctx.db, input.username);
		// A fresh token on every login, and the session the browser came with is dropped (no session fixation).
		if (ctx.sessionToken) await dropSession(ctx.db, ctx.sessionToken);
		const session = await createSession(ctx.db, user.id, { ip: ctx.ip, userAgent: ctx.userAgent });
		ctx.cookies.set(SESSION_COOKIE, session.token, { maxAgeSeconds: SESSION_TTL_HOURS * 3600 });
		await ctx.db.insertInto('audit_log').values({ user_id: user.id, action: 'auth.login', details: JSON.stringify({ ip: ctx.ip }) }).execute();
		return { user: await loadUser(ctx.db, user.id), expiresAt: session.expiresAt.toISOString() };
	}),

	logout: authedProcedure.mutation(async ({ ctx }) => {
		if (ctx.sessionToken) await dropSession(ctx.db, ctx.sessionToken);
		ctx.cookies.clear(SESSION_COOKIE);
		return { ok: true as const };
	}),

	/** The signed-in user with their roles per council, or null when nobody is signed in. */
	me: publicProcedure.query(({ ctx }) => ctx.user)
});
