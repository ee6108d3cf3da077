import { DEFAULT_LOCALE, isLocale, translate, type Locale } from '../../i18n';
import { sessionUser } from '../auth/cached-sessions';
import type { AuthUser } from '../auth/current-user';

// What every request starts with — its language, who is calling, and the headers every answer carries — in
// one place, for the SvelteKit hook (hooks.server.ts) and the direct API routes on node:http alike.

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(self), geolocation=()',
	'cross-origin-opener-policy': 'same-origin',
	// Served over TLS (ORIGIN is set before the server starts, and never changes while it runs): browsers must
	// not fall back to plain http, where a hall's Wi-Fi could read session cookies and ballots.
	...(process.env.ORIGIN?.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {})
};

/** The language chosen in the locale cookie, Vietnamese by default. */
export function localeFrom(cookie: string | undefined): Locale {
	return isLocale(cookie) ? cookie : DEFAULT_LOCALE;
}

export interface CallerSession {
	user: AuthUser | null;
	sessionToken: string | null;
}

/**
 * The signed-in user behind a session cookie's token (null for none, unknown, expired or absurdly long ones).
 * Throws when the database cannot answer: the caller then says 503, not "please log in", so clients retry
 * instead of dropping their session.
 */
export async function sessionFrom(token: string | undefined): Promise<CallerSession> {
	if (!token || token.length > 100) return { user: null, sessionToken: null };
	const user = await sessionUser(token);
	return { user, sessionToken: user ? token : null };
}

/** The API's answer when the database is unavailable, in tRPC's error shape (status 503). */
export function unavailableApiBody(locale: Locale) {
	return { error: { message: translate(locale, 'error.database'), code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, i18nKey: 'error.database' } } };
}

/** The API's answer to a body over the route's limit (status 413, before the body was read), in tRPC's error shape. */
export function tooLargeApiBody(locale: Locale) {
	return { error: { message: translate(locale, 'error.tooLarge'), code: -32013, data: { code: 'PAYLOAD_TOO_LARGE', httpStatus: 413, i18nKey: 'error.tooLarge' } } };
}

/** The answer to a write from another site (status 403). */
export function crossSiteBody(locale: Locale) {
	return { error: { message: translate(locale, 'error.csrf') } };
}
