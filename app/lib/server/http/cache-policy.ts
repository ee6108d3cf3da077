/**
 * Cache-Control of an answer, set once by hooks.server.ts for every route. A page, minutes or an export seen
 * by one delegate must not be kept by the browser (a shared hall device: the next person presses Back) nor by a
 * proxy, so every answer to a signed-in request is `no-store`, whatever the route said. API answers carry user
 * data even when the request had no session (the login's answer, with its cookie), so they are `no-store` too
 * unless the route chose otherwise; so is anything that sets a cookie. Public pages and files keep their own
 * caching (static assets never reach the hook: adapter-node serves them first).
 */
export function applyCachePolicy(response: Response, opts: { signedIn: boolean; pathname: string }): void {
	const current = response.headers.get('cache-control');
	const sensitive = opts.signedIn || ((opts.pathname.startsWith('/api/') || response.headers.has('set-cookie')) && current === null);
	if (!sensitive || current?.split(',').some((d) => d.trim() === 'no-store')) return;
	// An event stream says no-transform so proxies neither buffer nor compress it: keep that.
	const value = current?.includes('no-transform') ? 'no-store, no-transform' : 'no-store';
	try {
		response.headers.set('cache-control', value);
	} catch {
		// A response with immutable headers (fetched from elsewhere) is not one of ours.
	}
}
