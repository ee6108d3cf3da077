import type { Handle, ServerInit } from '@sveltejs/kit';
import { LOCALE_COOKIE, translate } from '$lib/i18n';
import { directApiRoute } from '$lib/server/api/direct/route';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { SECURITY_HEADERS, crossSiteBody, localeFrom, sessionFrom, unavailableApiBody } from '$lib/server/http/caller-identity';
import { registerNodeRoute } from '$lib/server/http/node-route';
import { isCrossSiteWrite } from '$lib/server/http/csrf';
import { log } from '$lib/server/log';
import { narrowConnectSources } from '$lib/server/http/video-csp';
import { startBackgroundJobs } from '$lib/server/jobs';

export const init: ServerInit = () => {
	startBackgroundJobs();
	registerNodeRoute(directApiRoute);
};

/** Endpoints that outside systems post to (signed webhooks, public verification). */
const OPEN_POST_PATHS = ['/api/livekit/webhook', '/api/verify'];

function unavailable(locale: 'vi' | 'en', pathname: string): Response {
	const message = translate(locale, 'error.database');
	const body = pathname.startsWith('/api/') ? unavailableApiBody(locale) : null;
	return body
		? new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json; charset=utf-8', 'retry-after': '2' } })
		: new Response(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>503</title><p>${message}</p></html>`, {
				status: 503,
				headers: { 'content-type': 'text/html; charset=utf-8', 'retry-after': '2' }
			});
}

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.locale = localeFrom(event.cookies.get(LOCALE_COOKIE));
	event.locals.user = null;
	event.locals.sessionToken = null;

	if (!OPEN_POST_PATHS.includes(event.url.pathname) && isCrossSiteWrite(event.request, event.url.origin)) {
		log.warn('cross-site write refused', { path: event.url.pathname, origin: event.request.headers.get('origin') });
		return new Response(JSON.stringify(crossSiteBody(event.locals.locale)), {
			status: 403,
			headers: { 'content-type': 'application/json; charset=utf-8' }
		});
	}

	try {
		const session = await sessionFrom(event.cookies.get(SESSION_COOKIE));
		event.locals.user = session.user;
		event.locals.sessionToken = session.sessionToken;
	} catch (err) {
		log.warn('session lookup failed', { err });
		return unavailable(event.locals.locale, event.url.pathname);
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	narrowConnectSources(response);
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
