import type { RequestEvent } from '@sveltejs/kit';
import { getDb } from '../db';
import type { Context } from './context';

export function createContext(event: RequestEvent): Context {
	const secure = event.url.protocol === 'https:';
	return {
		db: getDb(),
		user: event.locals.user,
		sessionToken: event.locals.sessionToken,
		ip: event.getClientAddress(),
		userAgent: event.request.headers.get('user-agent'),
		locale: event.locals.locale,
		cookies: {
			set: (name, value, { maxAgeSeconds }) =>
				event.cookies.set(name, value, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: maxAgeSeconds }),
			clear: (name) => event.cookies.delete(name, { path: '/', httpOnly: true, sameSite: 'lax', secure })
		}
	};
}
