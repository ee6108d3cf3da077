import { sql } from 'kysely';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTENER_APPLICATION_NAME } from '../../app/lib/server/realtime/pg-listener';
import { councilIdOf, db, userIdOf } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';

// Each instance remembers who is behind a session token (app/lib/server/auth/session-cache.ts) and forgets it when
// the database says sessions, users or roles changed. Two instances on one database, as in production.

let one: AppServer;
let two: AppServer;
beforeAll(async () => {
	[one, two] = await Promise.all([startAppServer({ databaseUrl: process.env.DATABASE_URL! }), startAppServer({ databaseUrl: process.env.DATABASE_URL! })]);
});
afterAll(async () => {
	await Promise.all([one?.stop(), two?.stop()]);
});

type Me = { id: string; councils: { councilId: string; roles: string[] }[] } | null;

/** The same signed-in browser talking to another instance. */
function sameSessionOn(app: AppServer, client: HttpClient): HttpClient {
	const other = new HttpClient(app.url);
	other.cookie = client.cookie;
	return other;
}

/** Both instances listen for changes once they have looked a session up (their one LISTEN connection starts then). */
async function listenersUp(count: number) {
	for (let i = 0; i < 100; i++) {
		const { n } = (await sql<{ n: number }>`select count(*)::int as n from pg_stat_activity where application_name = ${LISTENER_APPLICATION_NAME} and datname = current_database() and wait_event = 'ClientRead'`.execute(db())).rows[0];
		if (n >= count) return;
		await sleep(50);
	}
	throw new Error('the auth change listeners did not start');
}

/** Asks until the answer changes (a notice takes milliseconds; two seconds is far more than enough). */
async function eventually<T>(ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
	let answer = await ask();
	for (let i = 0; i < 40 && !done(answer); i++) {
		await sleep(50);
		answer = await ask();
	}
	return answer;
}

async function signedInOnBoth(username: string) {
	const a = new HttpClient(one.url);
	await a.login(username);
	const b = sameSessionOn(two, a);
	expect(await a.query<Me>('auth.me')).not.toBeNull();
	expect(await b.query<Me>('auth.me')).not.toBeNull();
	await listenersUp(2);
	// Looked up again now that the caches are on: remembered from here.
	expect(await a.query<Me>('auth.me')).not.toBeNull();
	expect(await b.query<Me>('auth.me')).not.toBeNull();
	return { a, b };
}

describe('sessions remembered between requests', () => {
	it('are really remembered, and forgotten on the database notice', async () => {
		const { a, b } = await signedInOnBoth('delegate.26743.1');
		const userId = await userIdOf('delegate.26743.1');
		// Removed behind the listeners' backs (no trigger fires in replica mode): both instances still know the caller.
		await db().connection().execute(async (c) => {
			await sql`set session_replication_role = replica`.execute(c);
			await sql`delete from sessions where user_id = ${userId}`.execute(c);
			await sql`set session_replication_role = origin`.execute(c);
		});
		expect(await a.query<Me>('auth.me')).toMatchObject({ id: userId });
		expect(await b.query<Me>('auth.me')).toMatchObject({ id: userId });
		// The notice that triggers send: both forget, and the database says there is no such session.
		await sql`select pg_notify('auth_changed', 'sessions')`.execute(db());
		expect(await eventually(() => a.query<Me>('auth.me'), (me) => me === null)).toBeNull();
		expect(await eventually(() => b.query<Me>('auth.me'), (me) => me === null)).toBeNull();
	});

	it('a logout is refused at once on its own instance and within moments on the other', async () => {
		const { a, b } = await signedInOnBoth('delegate.26743.2');
		const cookie = a.cookie;
		await a.mutation('auth.logout');
		a.cookie = cookie; // a stolen copy of the cookie is worth nothing after the logout
		expect(await a.query<Me>('auth.me')).toBeNull();
		expect(await eventually(() => b.query<Me>('auth.me'), (me) => me === null)).toBeNull();
	});

	it('a role revoked through one instance is refused on the other', async () => {
		const { b } = await signedInOnBoth('delegate.26743.3');
		const councilId = await councilIdOf('26743');
		const admin = new HttpClient(one.url);
		await admin.login('admin');
		await admin.mutation('admin.revokeRole', { userId: await userIdOf('delegate.26743.3'), councilId, role: 'delegate' });
		const me = await eventually(() => b.query<Me>('auth.me'), (m) => !m?.councils.some((c) => c.councilId === councilId));
		expect(me?.councils.find((c) => c.councilId === councilId)).toBeUndefined();
		await expect(b.query('sitting.list', { councilId })).rejects.toMatchObject({ status: 403 });
	});

	it('a user deactivated in the database is signed out everywhere', async () => {
		const { a, b } = await signedInOnBoth('delegate.26743.4');
		await db().updateTable('users').set({ active: false }).where('username', '=', 'delegate.26743.4').execute();
		expect(await eventually(() => a.query<Me>('auth.me'), (me) => me === null)).toBeNull();
		expect(await eventually(() => b.query<Me>('auth.me'), (me) => me === null)).toBeNull();
	});
});
