import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { MAX_BATCH_CALLS, batchRefusal } from '$lib/api-batch';
import { translate, type Locale } from '$lib/i18n';
import { appRouter } from '$lib/server/api/root';
import { createContext } from '$lib/server/api/request-context';

const ENDPOINT = '/api/trpc';

/**
 * The procedure path(s) of a request exactly as tRPC reads them (trimmed of slashes, then URL-decoded), so a batch
 * cannot slip past the check below by encoding its commas. Null when the path is malformed: tRPC refuses those.
 */
function procedurePath(url: URL): string | null {
	const trim = (s: string) => s.replace(/^\/+|\/+$/g, '');
	try {
		return decodeURIComponent(trim(trim(url.pathname).slice(trim(ENDPOINT).length)));
	} catch {
		return null;
	}
}

/** A refused batch, in tRPC's error shape (status 400), before any of its calls runs. */
function refuseBatch(locale: Locale, refusal: NonNullable<ReturnType<typeof batchRefusal>>): Response {
	const message = translate(locale, refusal.i18nKey, refusal.params);
	const body = { error: { message, code: -32600, data: { code: 'BAD_REQUEST', httpStatus: 400, i18nKey: refusal.i18nKey } } };
	// Any body was left unread: close the connection rather than leave it in front of the next request.
	return new Response(JSON.stringify(body), { status: 400, headers: { 'content-type': 'application/json', connection: 'close' } });
}

const handler: RequestHandler = async (event) => {
	const path = procedurePath(event.url);
	const refusal = path === null ? null : batchRefusal(path, event.url.searchParams);
	if (refusal) return refuseBatch(event.locals.locale, refusal);
	const response = await fetchRequestHandler({
		endpoint: ENDPOINT,
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event),
		// tRPC's own limit, the same number: a backstop should its reading of the path ever differ from ours.
		maxBatchSize: MAX_BATCH_CALLS
	});
	// A call refused before its body was read (e.g. not signed in) leaves that body on the connection; the
	// next request on a kept-alive socket would wait behind it. Close such connections after answering.
	if (event.request.body && !event.request.bodyUsed) {
		const headers = new Headers(response.headers);
		headers.set('connection', 'close');
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
	return response;
};

export const GET = handler;
export const POST = handler;
