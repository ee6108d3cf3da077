import { randomInt } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import type { CityRole } from '../../../../db/schema.js';
import { AppError, notFound } from '../errors';
import { hashPassword } from '../auth/password';

// An administrator's hold on accounts: city roles taken back, accounts closed, passwords reset. Each change ends
// what it must at once — the database's auth_changed notice (migration 0007) empties every instance's session cache
// and re-checks every open live stream (realtime/stream-guard.ts) — and is written to the audit log.

/** The shortest password an administrator may set for someone (a generated one is longer). */
export const MIN_RESET_PASSWORD_LENGTH = 12;

// No look-alikes (0/O, 1/l/I), so a password read out over the phone or copied from paper comes through.
const PASSWORD_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
const GENERATED_LENGTH = 16; // ~93 bits

function generatePassword(): string {
	let out = '';
	for (let i = 0; i < GENERATED_LENGTH; i++) out += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
	return out;
}

async function requireUser(db: Db, userId: string): Promise<{ id: string; username: string }> {
	const user = await db.selectFrom('users').select(['id', 'username']).where('id', '=', userId).executeTakeFirst();
	if (!user) throw notFound('what.user');
	return user;
}

/** Takes a city-wide role back. An administrator cannot take their own `admin` role (the city keeps someone in charge). */
export async function revokeCityRole(db: Db, input: { userId: string; cityRole: CityRole; by: string }) {
	if (input.userId === input.by && input.cityRole === 'admin') throw new AppError('BAD_REQUEST', 'admin.notOnSelf');
	await requireUser(db, input.userId);
	await db.transaction().execute(async (trx) => {
		await trx.deleteFrom('city_roles').where('user_id', '=', input.userId).where('role', '=', input.cityRole).execute();
		await trx.insertInto('audit_log').values({ user_id: input.by, action: 'admin.revokeRole', details: JSON.stringify({ userId: input.userId, cityRole: input.cityRole }) }).execute();
	});
}

/** Closes an account: it can no longer sign in, and every session it has ends (its live streams with them). */
export async function deactivateUser(db: Db, input: { userId: string; by: string }): Promise<{ sessionsEnded: number }> {
	if (input.userId === input.by) throw new AppError('BAD_REQUEST', 'admin.notOnSelf');
	await requireUser(db, input.userId);
	return db.transaction().execute(async (trx) => {
		await trx.updateTable('users').set({ active: false }).where('id', '=', input.userId).execute();
		const ended = await trx.deleteFrom('sessions').where('user_id', '=', input.userId).executeTakeFirst();
		const sessionsEnded = Number(ended.numDeletedRows);
		await trx.insertInto('audit_log').values({ user_id: input.by, action: 'admin.deactivateUser', details: JSON.stringify({ userId: input.userId, sessionsEnded }) }).execute();
		return { sessionsEnded };
	});
}

/**
 * Sets a new password (`password`, at least MIN_RESET_PASSWORD_LENGTH characters) or, without one, a random one that
 * is returned this once and kept nowhere but as its hash. Every session of the account ends (whoever held one no
 * longer does), and its failed logins are forgotten: they were guesses at the old password.
 */
export async function resetPassword(db: Db, input: { userId: string; password?: string; by: string }): Promise<{ temporaryPassword: string | null; sessionsEnded: number }> {
	const user = await requireUser(db, input.userId);
	const generated = input.password === undefined ? generatePassword() : null;
	const passwordHash = await hashPassword(input.password ?? generated!);
	return db.transaction().execute(async (trx) => {
		await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', user.id).execute();
		const ended = await trx.deleteFrom('sessions').where('user_id', '=', user.id).executeTakeFirst();
		await trx.deleteFrom('login_failures').where('username', '=', user.username).execute();
		const sessionsEnded = Number(ended.numDeletedRows);
		// Never the password itself: the audit log says that it changed and who changed it.
		await trx
			.insertInto('audit_log')
			.values({ user_id: input.by, action: 'admin.resetPassword', details: JSON.stringify({ userId: user.id, generated: generated !== null, sessionsEnded }) })
			.execute();
		return { temporaryPassword: generated, sessionsEnded };
	});
}
