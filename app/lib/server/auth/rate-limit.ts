import type { Db } from '../../../../db/client.js';

export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

export type LoginBlock = { reason: 'account' | 'ip'; minutes: number } | null;

/** Failed logins are counted in the database so every instance, and a restarted one, enforces the same limit. */
export async function loginBlock(db: Db, username: string, ip: string): Promise<LoginBlock> {
	const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000);
	const counts = await db
		.selectFrom('login_failures')
		.select((eb) => [
			eb.fn.count<number>('id').filterWhere('username', '=', username).as('account'),
			eb.fn.count<number>('id').filterWhere('ip', '=', ip).as('ip')
		])
		.where('at', '>', since)
		.where((eb) => eb.or([eb('username', '=', username), eb('ip', '=', ip)]))
		.executeTakeFirstOrThrow();
	if (Number(counts.account) >= MAX_FAILURES_PER_ACCOUNT) return { reason: 'account', minutes: LOGIN_WINDOW_MINUTES };
	if (Number(counts.ip) >= MAX_FAILURES_PER_IP) return { reason: 'ip', minutes: LOGIN_WINDOW_MINUTES };
	return null;
}

export async function recordLoginFailure(db: Db, username: string, ip: string): Promise<void> {
	await db.insertInto('login_failures').values({ username, ip }).execute();
}

export async function clearLoginFailures(db: Db, username: string): Promise<void> {
	await db.deleteFrom('login_failures').where('username', '=', username).execute();
}
