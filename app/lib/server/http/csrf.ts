/**
 * State-changing requests (API calls and form posts) are accepted only from the app's own origin. Browsers always send Origin on
 * cross-origin and on fetch POSTs, and Sec-Fetch-Site on modern ones; a request with neither is not from a
 * browser and carries no victim's cookie, so it is not a CSRF vector (scripts and API clients still work).
 */
export function isCrossSiteWrite(request: { method: string; headers: { get(name: string): string | null } }, ownOrigin: string): boolean {
	if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return false;
	const origin = request.headers.get('origin');
	if (origin !== null) return origin !== ownOrigin;
	const site = request.headers.get('sec-fetch-site');
	return site === 'cross-site' || site === 'same-site';
}
