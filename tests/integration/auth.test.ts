import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE, hashToken } from '../../app/lib/server/auth/session';
import { loadSession } from '../../app/lib/server/auth/current-user';

const findSessionUserId = async (_db: unknown, token: string) => (await loadSession(db(), hashToken(token)))?.user.id ?? null;
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ACCOUNT_AND_IP } from '../../app/lib/server/auth/rate-limit';
import { anonymous, cookieJar, db } from '../helpers/callers';

async function login(username: string, password: string, ip = '10.0.0.1') {
	const { jar, cookies } = cookieJar();
	const result = await anonymous({ cookies, ip }).auth.login({ username, password });
	return { result, token: jar.get(SESSION_COOKIE)! };
}

describe('auth', () => {
	it('logs in with the demo password, stores only a hash of the session token, and returns roles per council', async () => {
		const { result, token } = await login('chair.26743', 'demo');
		expect(result.user?.username).toBe('chair.26743');
		expect(result.user?.councils).toEqual([expect.objectContaining({ councilCode: '26743', roles: ['chair'] })]);
		expect(token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
		const stored = await db().selectFrom('sessions').select('token_hash').execute();
		expect(stored.map((s) => s.token_hash)).toContain(hashToken(token));
		expect(stored.map((s) => s.token_hash)).not.toContain(token);
	});

	it('accepts the username in any case', async () => {
		const { result } = await login('ADMIN', 'demo');
		expect(result.user?.cityRoles).toEqual(['admin']);
	});

	it('refuses a wrong password with a clear Vietnamese message and creates no session', async () => {
		const before = await db().selectFrom('sessions').select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		await expect(login('delegate.26743.1', 'wrong')).rejects.toMatchObject({
			code: 'UNAUTHORIZED',
			message: 'Tên đăng nhập hoặc mật khẩu không đúng.'
		});
		await expect(login('no.such.user', 'demo')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		const after = await db().selectFrom('sessions').select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(Number(after.n)).toBe(Number(before.n));
	});

	it('refuses an address after repeated failures on an account, even with the right password, and says for how long', async () => {
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) {
			await expect(login('delegate.26743.2', 'wrong', '10.1.0.1')).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		}
		await expect(login('delegate.26743.2', 'demo', '10.1.0.1')).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: 'Đăng nhập sai nhiều lần vào tài khoản này từ địa chỉ này. Vui lòng thử lại sau 15 phút.'
		});
		// Nobody else is locked out: the owner from another address, nor other accounts from that address.
		await expect(login('delegate.26743.2', 'demo', '10.1.1.1')).resolves.toBeTruthy();
		await expect(login('delegate.26743.3', 'demo', '10.1.0.1')).resolves.toBeTruthy();
	});

	it('once an account has failed from many addresses, refuses those addresses but still lets a fresh one in', async () => {
		const addressOf = (i: number) => `10.3.${Math.floor(i / 200)}.${i % 200}`;
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT; i++) {
			await expect(login('delegate.26743.5', 'wrong', addressOf(i))).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		}
		await expect(login('delegate.26743.5', 'demo', addressOf(0))).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS' });
		await expect(login('delegate.26743.5', 'demo', '10.4.0.1')).resolves.toBeTruthy();
	});

	it('limits failures per IP across accounts', async () => {
		const ip = '10.9.9.9';
		for (let i = 0; i < 30; i++) {
			await expect(login(`nobody.${i}`, 'wrong', ip)).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
		}
		await expect(login('delegate.26743.4', 'demo', ip)).rejects.toMatchObject({
			code: 'TOO_MANY_REQUESTS',
			message: expect.stringContaining('địa chỉ này')
		});
		await expect(login('delegate.26743.4', 'demo', '10.9.9.10')).resolves.toBeTruthy();
	});

	it('logout invalidates the session on the server', async () => {
		const { token } = await login('secretary.26743', 'demo');
		const userId = await findSessionUserId(db(), token);
		expect(userId).not.toBeNull();
		const { cookies } = cookieJar();
		const { loadUser } = await import('../../app/lib/server/auth/current-user');
		const caller = anonymous({ user: await loadUser(db(), userId!), sessionToken: token, cookies });
		await caller.auth.logout();
		expect(await findSessionUserId(db(), token)).toBeNull();
	});

	it('replaces the session a browser arrives with on login (no session fixation)', async () => {
		const { token: planted } = await login('clerk.26743', 'demo');
		const { jar, cookies } = cookieJar();
		await anonymous({ cookies, sessionToken: planted }).auth.login({ username: 'clerk.26743', password: 'demo' });
		expect(jar.get(SESSION_COOKIE)).not.toBe(planted);
		expect(await findSessionUserId(db(), planted)).toBeNull();
	});

	it('auth.me is null for anonymous callers and the user when signed in', async () => {
		expect(await anonymous().auth.me()).toBeNull();
	});

	it('logout requires a session', async () => {
		await expect(anonymous().auth.logout()).rejects.toMatchObject({ code: 'UNAUTHORIZED', message: 'Vui lòng đăng nhập để tiếp tục.' });
	});
});
