import type { TRPCError } from '@trpc/server';
import { sql } from 'kysely';
import { ZodError } from 'zod';
import { describe, expect, it } from 'vitest';
import { pruneAuthRecords } from '../../app/lib/server/auth/prune';
import { SESSION_COOKIE } from '../../app/lib/server/auth/session';
import { sessionUser } from '../../app/lib/server/auth/cached-sessions';
import { verifyPassword } from '../../app/lib/server/auth/password';
import { anonymous, as, cookieJar, db, userIdOf } from '../helpers/callers';

// Issue 19: an administrator could not revoke a city role, deactivate a user or reset a password through the API,
// and login_failures and sessions were never pruned.

async function login(username: string, password = 'demo', ip = '10.19.0.1') {
	const { jar, cookies } = cookieJar();
	const result = await anonymous({ cookies, ip }).auth.login({ username, password });
	return { token: jar.get(SESSION_COOKIE)!, result };
}

const sessionsOf = async (userId: string) => (await db().selectFrom('sessions').select('token_hash').where('user_id', '=', userId).execute()).length;
const auditOf = async (action: string) =>
	(await db().selectFrom('audit_log').select(['user_id', 'details']).where('action', '=', action).orderBy('id').execute()).map((r) => ({ userId: r.user_id, details: r.details }));

describe('admin: city roles, deactivation, password reset', () => {
	it('revokes a city role: the user loses what only it allowed; an admin cannot revoke their own admin role', async () => {
		const admin = await as('admin');
		const adminId = await userIdOf('admin');
		const { userId } = await admin.admin.createUser({ username: 'giam.sat.tam', fullName: 'Giám Sát Tạm', password: 'mat-khau-tam-thoi' });
		await admin.admin.assignRole({ userId, cityRole: 'monitor' });
		expect((await (await as('giam.sat.tam')).monitor.overview()).rows).toHaveLength(169);

		expect(await admin.admin.revokeRole({ userId, cityRole: 'monitor' })).toEqual({ ok: true });
		expect(await db().selectFrom('city_roles').select('role').where('user_id', '=', userId).execute()).toEqual([]);
		await expect((await as('giam.sat.tam')).monitor.overview()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await auditOf('admin.revokeRole')).toEqual([{ userId: adminId, details: { userId, cityRole: 'monitor' } }]);

		await expect(admin.admin.revokeRole({ userId: adminId, cityRole: 'admin' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Không thể tự thu hồi quyền quản trị hoặc tự khóa tài khoản của chính mình.'
		});
		await expect(admin.admin.revokeRole({ userId: '00000000-0000-4000-8000-000000000019', cityRole: 'monitor' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
		expect(await db().selectFrom('city_roles').select('role').where('user_id', '=', adminId).execute()).toEqual([{ role: 'admin' }]);
	});

	it('deactivates a user: every session ends at once, signing in is refused, and not oneself', async () => {
		const admin = await as('admin');
		const userId = await userIdOf('delegate.26737.5');
		const first = await login('delegate.26737.5');
		const second = await login('delegate.26737.5', 'demo', '10.19.0.2');
		expect((await sessionUser(first.token))?.id).toBe(userId);
		expect(await sessionsOf(userId)).toBe(2);

		expect(await admin.admin.deactivateUser({ userId })).toEqual({ ok: true, sessionsEnded: 2 });
		expect(await sessionsOf(userId)).toBe(0);
		expect(await sessionUser(first.token)).toBeNull();
		expect(await sessionUser(second.token)).toBeNull();
		await expect(login('delegate.26737.5')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		expect((await db().selectFrom('users').select('active').where('id', '=', userId).executeTakeFirstOrThrow()).active).toBe(false);

		await expect(admin.admin.deactivateUser({ userId: await userIdOf('admin') })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: 'Không thể tự thu hồi quyền quản trị hoặc tự khóa tài khoản của chính mình.' });
		await expect(admin.admin.deactivateUser({ userId: '00000000-0000-4000-8000-000000000019' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
	});

	it('resets a password to a one-time random one or to one given (12+ characters), ending sessions and forgetting failed logins', async () => {
		const admin = await as('admin');
		const username = 'delegate.26737.6';
		const userId = await userIdOf(username);
		const { token } = await login(username);
		await expect(login(username, 'sai-mat-khau')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });

		const generated = await admin.admin.resetPassword({ userId });
		expect(Object.keys(generated).sort()).toEqual(['ok', 'sessionsEnded', 'temporaryPassword']);
		expect(generated.ok).toBe(true);
		expect(generated.sessionsEnded).toBe(1);
		expect(generated.temporaryPassword).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
		expect(await sessionUser(token)).toBeNull();
		expect(await db().selectFrom('login_failures').select('id').where('username', '=', username).execute()).toEqual([]);
		await expect(login(username, 'demo')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		expect((await login(username, generated.temporaryPassword!)).result.user?.id).toBe(userId);
		// The password is nowhere but in its hash: not in the audit log.
		expect(await auditOf('admin.resetPassword')).toEqual([{ userId: await userIdOf('admin'), details: { userId, generated: true, sessionsEnded: 1 } }]);

		const short = await admin.admin.resetPassword({ userId, password: 'ngan-qua' }).then(() => null, (e: TRPCError) => e);
		expect({ code: short?.code, invalid: short?.cause instanceof ZodError ? short.cause.issues.map((i) => i.path.join('.')) : null }).toEqual({ code: 'BAD_REQUEST', invalid: ['password'] });
		expect(await admin.admin.resetPassword({ userId, password: 'Mat khau moi 2026' })).toEqual({ ok: true, temporaryPassword: null, sessionsEnded: 1 });
		const hash = (await db().selectFrom('users').select('password_hash').where('id', '=', userId).executeTakeFirstOrThrow()).password_hash;
		expect(await verifyPassword(hash, 'Mat khau moi 2026')).toBe(true);
		expect((await login(username, 'Mat khau moi 2026')).result.user?.id).toBe(userId);
	});

	it('is for administrators only', async () => {
		const userId = await userIdOf('delegate.26737.7');
		for (const username of ['monitor.city', 'chair.26737', 'delegate.26737.7']) {
			const caller = await as(username);
			await expect(caller.admin.deactivateUser({ userId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(caller.admin.resetPassword({ userId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
			await expect(caller.admin.revokeRole({ userId: await userIdOf('monitor.city'), cityRole: 'monitor' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		expect((await db().selectFrom('users').select('active').where('id', '=', userId).executeTakeFirstOrThrow()).active).toBe(true);
	});
});

describe('pruning sessions and failures', () => {
	it('deletes expired sessions and failures older than a day, and nothing else', async () => {
		const userId = await userIdOf('delegate.26737.8');
		const live = await login('delegate.26737.8');
		const expired = await login('delegate.26737.8');
		await sql`update sessions set expires_at = now() - interval '1 minute' where token_hash = encode(sha256(${expired.token}::bytea), 'hex')`.execute(db());
		await db().deleteFrom('login_failures').execute();
		await db().deleteFrom('signing_failures').execute();
		await sql`insert into login_failures (username, ip, at) values ('x', '10.0.0.1', now() - interval '25 hours'), ('y', '10.0.0.1', now() - interval '23 hours')`.execute(db());
		await sql`insert into signing_failures (user_id, at) values (${userId}, now() - interval '25 hours'), (${userId}, now() - interval '1 hour')`.execute(db());

		expect(await pruneAuthRecords(db())).toEqual({ sessions: 1, loginFailures: 1, signingFailures: 1 });
		expect((await sessionUser(live.token))?.id).toBe(userId);
		expect(await sessionsOf(userId)).toBe(1);
		expect((await db().selectFrom('login_failures').select('username').execute()).map((r) => r.username)).toEqual(['y']);
		expect(await db().selectFrom('signing_failures').select('user_id').execute()).toEqual([{ user_id: userId }]);
		// Nothing left to prune: nothing deleted (and no DELETE on sessions, which would notify every instance).
		expect(await pruneAuthRecords(db())).toEqual({ sessions: 0, loginFailures: 0, signingFailures: 0 });
	});
});
