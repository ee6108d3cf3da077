const BASE = 'http://same-origin.invalid';

/**
 * Where to send the browser after login or a language switch, from a target the request supplied (`?next=`,
 * the form's `back`): a path on this site, or `/`. Checking the raw text is not enough — browsers read `/\host`
 * as `//host`, and `/.//host` normalises to `//host` — so the target is resolved as a browser would, and the
 * result must be a plain path that stays a path however it is read again (no `//` or `/\` at its start, not
 * even once percent-decoded by a proxy).
 */
export function safeNextPath(raw: string | null | undefined): string {
	// Control characters (tabs and line ends are silently dropped by URL parsers) and backslashes have no place
	// in a link of ours: refuse rather than guess how a browser reads them.
	// eslint-disable-next-line no-control-regex
	if (!raw || !raw.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(raw)) return '/';
	let url: URL;
	try {
		url = new URL(raw, BASE);
	} catch {
		return '/';
	}
	if (url.origin !== BASE) return '/';
	const path = url.pathname + url.search + url.hash;
	let decoded: string;
	try {
		decoded = decodeURIComponent(url.pathname);
	} catch {
		return '/';
	}
	return /^\/[/\\]/.test(path) || /^\/[/\\]/.test(decoded) ? '/' : path;
}
