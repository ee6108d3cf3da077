import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { appRouter } from '$lib/server/api/root';
import { createContext } from '$lib/server/api/request-context';

const handler: RequestHandler = async (event) => {
	const response = await fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: () => createContext(event)
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
