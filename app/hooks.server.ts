import type { Handle, ServerInit } from '@sveltejs/kit';
import { LOCALE_COOKIE, translate } from '$lib/i18n';
import { directApiRoute } from '$lib/server/api/direct/route';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { boundedRequest, bodyLimitFor } from '$lib/server/http/body-limit';
import { applyCachePolicy } from '$lib/server/http/cache-policy';
import { SECURITY_HEADERS, crossSiteBody, localeFrom, sessionFrom, tooLargeApiBody, unavailableApiBody } from '$lib/server/http/caller-identity';
import { registerNodeRoute } from '$lib/server/http/node-route';
import { isCrossSiteWrite } from '$lib/server/http/csrf';
import { log } from '$lib/server/log';
import { narrowConnectSources } from '$lib/server/http/video-csp';
import { startBackgroundJobs } from '$lib/server/jobs';
import { getDb } from '$lib/server/db';
import { cityTimestampAuthority } from '$lib/server/resolutions/tsa';
import { mediaConfig } from '$lib/server/media/runtime';

export const init: ServerInit = () => {
	// Read now, so a refused LiveKit configuration (e.g. a weak secret) is reported at start, not at the first page.
	mediaConfig();
	// The city's timestamp authority exists before anyone signs, so signing never creates it (nor its CA) on the way.
	cityTimestampAuthority(getDb()).catch((err: unknown) => log.warn('city timestamp authority not ready; signing creates it on first use', { err }));
	startBackgroundJobs();
	registerNodeRoute(directApiRoute);
};

/** Endpoints that outside systems post to (signed webhooks, public verification, the timestamp authority). */
const OPEN_POST_PATHS = ['/api/livekit/webhook', '/api/verify', '/api/tsa'];

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

/** A body over the route's limit. The rest of it stays unread, so the connection closes after the answer. */
function tooLarge(locale: 'vi' | 'en', pathname: string): Response {
	const headers = { ...SECURITY_HEADERS, 'cache-control': 'no-store', connection: 'close' };
	return pathname.startsWith('/api/')
		? new Response(JSON.stringify(tooLargeApiBody(locale)), { status: 413, headers: { ...headers, 'content-type': 'application/json; charset=utf-8' } })
		: new Response(`<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>413</title><p>${translate(locale, 'error.tooLarge')}</p></html>`, {
				status: 413,
				headers: { ...headers, 'content-type': 'text/html; charset=utf-8' }
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

	// Before anything reads the body (tRPC, form actions): see body-limit.ts.
	const limit = bodyLimitFor(event.url.pathname, event.locals.user);
	if (limit !== null) {
		const bounded = await boundedRequest(event.request, limit);
		if (!bounded) {
			log.warn('request body over the limit refused', { path: event.url.pathname, limit });
			return tooLarge(event.locals.locale, event.url.pathname);
		}
		event.request = bounded;
	}

	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.locale)
	});
	narrowConnectSources(response);
	applyCachePolicy(response, { signedIn: event.locals.user !== null, pathname: event.url.pathname });
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
