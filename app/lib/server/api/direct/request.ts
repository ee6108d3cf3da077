import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import { LOCALE_COOKIE } from '../../../i18n';
import { SESSION_COOKIE } from '../../auth/session';
import { getDb } from '../../db';
import { SECURITY_HEADERS, localeFrom, sessionFrom, unavailableApiBody } from '../../http/caller-identity';
import { log } from '../../log';
import type { Context } from '../context';
import { createCallerFactory } from '../init';
import { appRouter } from '../root';

// What the direct routes (on node:http, before SvelteKit) need of a request: the tRPC context the SvelteKit
// hook and request-context.ts would have built, and tRPC-shaped JSON answers.

export function header(req: IncomingMessage, name: string): string | null {
	const value = req.headers[name];
	return Array.isArray(value) ? value.join(', ') : (value ?? null);
}

/** The app's own origin as adapter-node computes it: ORIGIN, else the protocol header set by scripts/start.ts. */
export function ownOrigin(req: IncomingMessage): string {
	return process.env.ORIGIN ?? `${header(req, 'x-forwarded-proto') ?? 'http'}://${req.headers.host}`;
}

/** The caller's address as adapter-node gives it to SvelteKit (ADDRESS_HEADER / XFF_DEPTH behind a proxy). */
function clientAddress(req: IncomingMessage): string {
	const name = process.env.ADDRESS_HEADER?.toLowerCase();
	const value = name ? header(req, name) : null;
	if (name && value) {
		if (name !== 'x-forwarded-for') return value;
		const addresses = value.split(',');
		const depth = Number(process.env.XFF_DEPTH ?? 1);
		return (addresses[addresses.length - depth] ?? addresses[0]).trim();
	}
	return req.socket.remoteAddress ?? '';
}

/** Cookies set by a procedure become Set-Cookie headers, with the same attributes as in request-context.ts. */
function cookieJar(res: ServerResponse, secure: boolean): Context['cookies'] {
	const add = (line: string) => {
		const before = res.getHeader('set-cookie');
		res.setHeader('set-cookie', [...(Array.isArray(before) ? before : before ? [String(before)] : []), line]);
	};
	const options = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure };
	return {
		set: (name, value, { maxAgeSeconds }) => add(serializeCookie(name, value, { ...options, maxAge: maxAgeSeconds })),
		clear: (name) => add(serializeCookie(name, '', { ...options, maxAge: 0 }))
	};
}

/** The request's cookies, and its tRPC context before the session is known (user null). */
export function requestContext(req: IncomingMessage, res: ServerResponse): { cookies: Record<string, string | undefined>; ctx: Context } {
	const cookies = parseCookies(req.headers.cookie ?? '');
	const ctx: Context = {
		db: getDb(),
		user: null,
		sessionToken: null,
		ip: clientAddress(req),
		userAgent: header(req, 'user-agent'),
		locale: localeFrom(cookies[LOCALE_COOKIE]),
		cookies: cookieJar(res, ownOrigin(req).startsWith('https:'))
	};
	return { cookies, ctx };
}

/**
 * Puts the signed-in user (from the session cookie) into the context. False when the database could not say:
 * the answer (503, as the hook gives) has then been sent.
 */
export async function signIn(ctx: Context, cookies: Record<string, string | undefined>, res: ServerResponse): Promise<boolean> {
	try {
		Object.assign(ctx, await sessionFrom(cookies[SESSION_COOKIE]));
		return true;
	} catch (err) {
		log.warn('session lookup failed', { err });
		sendJson(res, 503, unavailableApiBody(ctx.locale), { 'retry-after': '2' });
		return false;
	}
}

/** A JSON answer with the headers tRPC's fetch adapter and the SvelteKit hook would give it. */
export function sendJson(res: ServerResponse, status: number, json: unknown, extra: Record<string, string> = {}): void {
	const text = JSON.stringify(json);
	res.writeHead(status, {
		...SECURITY_HEADERS,
		vary: 'trpc-accept, accept',
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
		// A ballot's answer (and its receipt) is one person's: never kept by a browser or proxy (cache-policy.ts).
		'cache-control': 'no-store',
		...extra
	});
	res.end(text);
}

const createCaller = createCallerFactory(appRouter);

/** The procedure at a dotted path (`sitting.events`), called through tRPC with this context. */
export function procedureAt(ctx: Context, path: string): (input: unknown, opts?: { signal?: AbortSignal }) => Promise<unknown> {
	let target: unknown = createCaller(ctx);
	for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
	return target as (input: unknown, opts?: { signal?: AbortSignal }) => Promise<unknown>;
}
