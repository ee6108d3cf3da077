import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALE_COOKIE, translate } from '../../app/lib/i18n';
import { LOGIN_WINDOW_MINUTES, MAX_FAILURES_PER_ACCOUNT_AND_IP } from '../../app/lib/server/auth/rate-limit';
import { SESSION_COOKIE, SESSION_TTL_HOURS } from '../../app/lib/server/auth/session';
import { db } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';

// Issue 21, claims with no test: the README's configuration table and docs/security.md say that `ORIGIN=https://…`
// makes the cookies `Secure` (and adds HSTS), that `TRUST_PROXY=1` lets a proxy's `X-Forwarded-Proto` say the
// request came over https, that `ADDRESS_HEADER` gives the login limits the caller's address behind a proxy — and,
// by implication, that without `ADDRESS_HEADER` a client's own `X-Forwarded-For` is ignored, so a guesser cannot
// reset or escape the 5-failure limit by writing a new address into it. Each is checked against the built app
// started as `npm start` starts it (scripts/start.ts), with the variables set as an operator would set them.

const PUBLIC_ORIGIN = 'https://hdnd.example.test';
const HSTS = 'max-age=31536000; includeSubDomains';

let plain: AppServer; // served over plain http, nothing configured
let https: AppServer; // ORIGIN=https://… (TLS ended by a proxy in front)
let proxied: AppServer; // TRUST_PROXY=1 and ADDRESS_HEADER=x-forwarded-for, no ORIGIN

beforeAll(async () => {
	// The servers inherit this process's environment (startAppServer): settings of the runner's own must not
	// leak into them. An empty value will not do (adapter-node refuses ORIGIN=''), so they are removed here.
	for (const name of ['ORIGIN', 'TRUST_PROXY', 'ADDRESS_HEADER', 'XFF_DEPTH', 'PROTOCOL_HEADER']) delete process.env[name];
	const databaseUrl = process.env.DATABASE_URL!;
	[plain, https, proxied] = await Promise.all([
		startAppServer({ databaseUrl }),
		startAppServer({ databaseUrl, env: { ORIGIN: PUBLIC_ORIGIN } }),
		startAppServer({ databaseUrl, env: { TRUST_PROXY: '1', ADDRESS_HEADER: 'x-forwarded-for' } })
	]);
});
afterAll(async () => {
	await Promise.all([plain?.stop(), https?.stop(), proxied?.stop()]);
});

interface Cookie {
	name: string;
	/** Attributes by lower-case name; flags (HttpOnly, Secure) are true. */
	attributes: Record<string, string | true>;
}

function parseSetCookie(line: string): Cookie {
	const [pair, ...attrs] = line.split(';').map((s) => s.trim());
	return {
		name: pair.slice(0, pair.indexOf('=')),
		attributes: Object.fromEntries(
			attrs.map((a) => {
				const i = a.indexOf('=');
				return i < 0 ? [a.toLowerCase(), true] : [a.slice(0, i).toLowerCase(), a.slice(i + 1)];
			})
		)
	};
}

/** The one Set-Cookie of `name` in an answer (fails when there is none or more than one). */
function cookieOf(res: Response, name: string): Cookie {
	const cookies = res.headers.getSetCookie().map(parseSetCookie).filter((c) => c.name === name);
	expect(cookies.length).toBe(1);
	return cookies[0];
}

/** The session cookie's attributes apart from its expiry date, which changes with the clock. */
function sessionAttributes(res: Response) {
	const { expires: _expires, ...rest } = cookieOf(res, SESSION_COOKIE).attributes;
	return rest;
}
const SESSION_ATTRIBUTES = { path: '/', httponly: true, samesite: 'Lax', 'max-age': String(SESSION_TTL_HOURS * 3600) } as const;

function login(app: AppServer, username: string, password: string, headers: Record<string, string> = {}) {
	return fetch(`${app.url}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ username, password }) });
}

async function failuresOf(username: string): Promise<string[]> {
	const rows = await db().selectFrom('login_failures').select('ip').where('username', '=', username).orderBy('id').execute();
	return rows.map((r) => r.ip);
}

/** A refusal's status and message. */
async function refusal(res: Response) {
	const body = (await res.json()) as { error?: { message: string } };
	return { status: res.status, message: body.error?.message ?? null };
}

const accountIpLimited = translate('vi', 'auth.accountIpLimited', { minutes: LOGIN_WINDOW_MINUTES });

describe('cookies over plain http (no ORIGIN, no TRUST_PROXY)', () => {
	it('sets the session cookie without Secure, and sends no HSTS', async () => {
		const res = await login(plain, 'delegate.26743.21', 'demo');
		expect(res.status).toBe(200);
		expect(sessionAttributes(res)).toEqual(SESSION_ATTRIBUTES);
		expect(res.headers.get('strict-transport-security')).toBe(null);
	});

	it('does not let a client claim https with X-Forwarded-Proto when no proxy is trusted', async () => {
		const res = await login(plain, 'delegate.26743.21', 'demo', { 'x-forwarded-proto': 'https' });
		expect(res.status).toBe(200);
		expect(sessionAttributes(res)).toEqual(SESSION_ATTRIBUTES);
	});
});

describe('ORIGIN=https://… (TLS ended in front of the app)', () => {
	it('marks the session cookie Secure and sends HSTS, though the app itself is reached over plain http', async () => {
		const res = await login(https, 'delegate.26743.22', 'demo');
		expect(res.status).toBe(200);
		expect(sessionAttributes(res)).toEqual({ ...SESSION_ATTRIBUTES, secure: true });
		expect(res.headers.get('strict-transport-security')).toBe(HSTS);
	});

	it('marks the language cookie Secure too', async () => {
		const res = await fetch(`${https.url}/lang`, { method: 'POST', body: new URLSearchParams({ locale: 'en', back: '/' }), redirect: 'manual' });
		expect(res.status).toBe(303);
		expect(cookieOf(res, LOCALE_COOKIE).attributes.secure).toBe(true);
		const overHttp = await fetch(`${plain.url}/lang`, { method: 'POST', body: new URLSearchParams({ locale: 'en', back: '/' }), redirect: 'manual' });
		expect(overHttp.status).toBe(303);
		expect(cookieOf(overHttp, LOCALE_COOKIE).attributes.secure).toBe(undefined);
	});

	it('takes ORIGIN as its own origin for the CSRF check: a write from the public origin passes, one naming the internal address is refused', async () => {
		const fromPublic = await login(https, 'delegate.26743.22', 'demo', { origin: PUBLIC_ORIGIN });
		expect(fromPublic.status).toBe(200);
		const fromInternal = await login(https, 'delegate.26743.22', 'demo', { origin: https.url });
		expect((await refusal(fromInternal)).status).toBe(403);
	});
});

describe('TRUST_PROXY=1 and ADDRESS_HEADER=x-forwarded-for (behind a reverse proxy, no ORIGIN)', () => {
	// The proxy appends the address it saw to X-Forwarded-For; anything before it was written by the client.
	const viaProxy = (client: string, extra: Record<string, string> = {}) => ({ 'x-forwarded-for': `198.51.100.66, ${client}`, ...extra });

	it('marks the session cookie Secure when the proxy says https, and not when it says http', async () => {
		const overHttps = await login(proxied, 'delegate.26743.23', 'demo', viaProxy('203.0.113.10', { 'x-forwarded-proto': 'https' }));
		expect(overHttps.status).toBe(200);
		expect(sessionAttributes(overHttps)).toEqual({ ...SESSION_ATTRIBUTES, secure: true });
		const overHttp = await login(proxied, 'delegate.26743.23', 'demo', viaProxy('203.0.113.10', { 'x-forwarded-proto': 'http' }));
		expect(overHttp.status).toBe(200);
		expect(sessionAttributes(overHttp)).toEqual(SESSION_ATTRIBUTES);
	});

	it("counts failures under the address the proxy saw (the header's last entry), so one caller's limit does not block another's", async () => {
		const username = 'delegate.26743.24';
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) expect((await login(proxied, username, `wrong-${i}`, viaProxy('203.0.113.20'))).status).toBe(401);
		expect(await failuresOf(username)).toEqual(Array(MAX_FAILURES_PER_ACCOUNT_AND_IP).fill('203.0.113.20'));
		expect(await refusal(await login(proxied, username, 'demo', viaProxy('203.0.113.20')))).toEqual({ status: 429, message: accountIpLimited });
		// The owner, behind the same proxy at another address, still logs in.
		expect((await login(proxied, username, 'demo', viaProxy('203.0.113.21'))).status).toBe(200);
	});
});

describe('X-Forwarded-For written by the client, without ADDRESS_HEADER', () => {
	it('is ignored by the login limits: failures count under the connection’s address, and a new header value neither resets nor escapes the limit', async () => {
		const username = 'delegate.26743.25';
		for (let i = 0; i < MAX_FAILURES_PER_ACCOUNT_AND_IP; i++) {
			expect((await login(plain, username, `wrong-${i}`, { 'x-forwarded-for': `10.21.0.${i + 1}` })).status).toBe(401);
		}
		// The test connects to 127.0.0.1: every failure is that address's, whatever the header said.
		expect(await failuresOf(username)).toEqual(Array(MAX_FAILURES_PER_ACCOUNT_AND_IP).fill('127.0.0.1'));
		// A fresh "address" in the header, even with the right password: refused like any sixth attempt.
		expect(await refusal(await login(plain, username, 'demo', { 'x-forwarded-for': '10.21.0.99' }))).toEqual({ status: 429, message: accountIpLimited });
		expect(await refusal(await login(plain, username, 'demo'))).toEqual({ status: 429, message: accountIpLimited });
		expect(await failuresOf(username)).toEqual(Array(MAX_FAILURES_PER_ACCOUNT_AND_IP).fill('127.0.0.1'));
	});
});
