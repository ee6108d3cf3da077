import type { Handle, ServerInit } from '@sveltejs/kit';
import { DEFAULT_LOCALE, LOCALE_COOKIE, isLocale, translate } from '$lib/i18n';
import { loadSessionUser } from '$lib/server/auth/current-user';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { getDb } from '$lib/server/db';
import { isCrossSiteWrite } from '$lib/server/http/csrf';
import { log } from '$lib/server/log';
import { startBackgroundJobs } from '$lib/server/jobs';

export const init: ServerInit = () => {
	startBackgroundJobs();
};

/** Endpoints that outside systems post to (signed webhooks, public verification). */
const OPEN_POST_PATHS = ['/api/livekit/webhook', '/api/verify'];

const SECURITY_HEADERS: Record<string, string> = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin',
	'x-frame-options': 'DENY',
	'permissions-policy': 'camera=(self), microphone=(self), geolocation=()',
	'cross-origin-opener-policy': 'same-origin'
};

function unavailable(locale: 'vi' | 'en', pathname: string): Response {
	const message = translate(locale, 'error.database');
	const body = pathname.startsWith('/api/')
		? { error: { message, code: -32603, data: { code: 'SERVICE_UNAVAILABLE', httpStatus: 503, i18nKey: 'error.database' } } }
		: null;
	return body
		? new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' } })
		: new Response(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>503</title><p>${message}</p></html>`, {
				status: 503,
				headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '2' }
			});
}

export const handle: Handle = async ({ event, resolve }) => {
	const langCookie = event.cookies.get(LOCALE_COOKIE);
	event.locals.locale = isLocale(langCookie) ? langCookie : DEFAULT_LOCALE;
	event.locals.user = null;
	event.locals.sessionToken = null;

	if (!OPEN_POST_PATHS.includes(event.url.pathname) && isCrossSiteWrite(event.request, event.url.origin)) {
		log.warn('cross-site write refused', { path: event.url.pathname, origin: event.request.headers.get('origin') });
		return new Response(JSON.stringify({ error: { message: translate(event.locals.locale, 'error.csrf') } }), {
			status: 403,
			headers: { 'content-type': 'application/json; charset=utf-8' }
		});
	}

	const token = event.cookies.get(SESSION_COOKIE);
	if (token && token.length <= 100) {
		try {
			event.locals.user = await loadSessionUser(getDb(), token);
			event.locals.sessionToken = event.locals.user ? token : null;
		} catch (err) {
			// Without the database we cannot tell who is calling: say the service is unavailable (503), not
			// "please log in" (401), so clients retry instead of dropping their session.
			log.warn('session lookup failed', { err });
			return unavailable(event.locals.locale, event.url.pathname);
		}
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		if (!response.headers.has(name)) {
			try {
				response.headers.set(name, value);
			} catch {
				// Some responses (e.g. fetched ones) have immutable headers; they are not pages.
			}
		}
	}
	return response;
};
