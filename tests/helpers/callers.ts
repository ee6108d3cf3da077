import { createContextInner, type Context } from '../../app/lib/server/api/context';
import { createCallerFactory } from '../../app/lib/server/api/init';
import { appRouter } from '../../app/lib/server/api/root';
import { loadUser } from '../../app/lib/server/auth/current-user';
import { getDb } from '../../app/lib/server/db';

const createCaller = createCallerFactory(appRouter);

export function db() {
	return getDb();
}

/** Records cookies a procedure sets, as a browser would keep them. */
export function cookieJar() {
	const jar = new Map<string, string>();
	return {
		jar,
		cookies: {
			set: (name: string, value: string) => void jar.set(name, value),
			clear: (name: string) => void jar.delete(name)
		}
	};
}

export function anonymous(overrides: Partial<Context> = {}) {
	return createCaller(createContextInner({ db: getDb(), ...overrides }));
}

/** A caller acting as an existing user (demo accounts are in every test database). */
export async function as(username: string, overrides: Partial<Context> = {}) {
	const row = await getDb().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
	const user = await loadUser(getDb(), row.id);
	return createCaller(createContextInner({ db: getDb(), user, ...overrides }));
}

export async function councilIdOf(code: string): Promise<string> {
	return (await getDb().selectFrom('councils').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
}

export async function userIdOf(username: string): Promise<string> {
	return (await getDb().selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow()).id;
}
