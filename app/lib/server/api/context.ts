import type { Db } from '../../../../db/client.js';
import type { Locale } from '../../i18n';
import type { AuthUser } from '../auth/current-user';

export interface CookieJar {
	set(name: string, value: string, options: { maxAgeSeconds: number }): void;
	clear(name: string): void;
}

export interface Context {
	db: Db;
	user: AuthUser | null;
	sessionToken: string | null;
	ip: string;
	userAgent: string | null;
	locale: Locale;
	cookies: CookieJar;
}

/** A context without an HTTP request, for tests (`createCaller`) and scripts. */
export function createContextInner(opts: Partial<Context> & { db: Db }): Context {
	return {
		user: null,
		sessionToken: null,
		ip: '127.0.0.1',
		userAgent: null,
		locale: 'vi',
		cookies: { set: () => {}, clear: () => {} },
		...opts
	};
}
