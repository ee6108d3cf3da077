import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { councilIdOf, db } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { hostilePdfs } from '../helpers/security/hostile-pdfs';

// The real app (the launcher of `npm start`, adapter-node, hooks) over real HTTP: headers, CSRF, sessions,
// body limits and hostile uploads, as a browser or an attacker would meet them.

let app: AppServer;
beforeAll(async () => {
	app = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
});
afterAll(async () => {
	await app?.stop();
});

/** Vietnamese text: at least one letter only Vietnamese uses (đ, ơ, ư, ă or a tone mark). */
const VIETNAMESE = /[đĐơƠưƯăĂạ-ỹ]/;

function trpcPost(path: string, body: unknown, headers: Record<string, string> = {}) {
	return fetch(`${app.url}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

function sessionCookieOf(res: Response): string | null {
	const set = res.headers.getSetCookie().find((c) => c.startsWith('nts_session='));
	return set ? set.split(';')[0].slice('nts_session='.length) : null;
}

/** A POST over node:http (the agent decides whether the connection is reused); never hangs past 8 s. */
function rawPost(url: string, body: string, headers: Record<string, string>, agent: http.Agent | null): Promise<{ status: number; body: string; ms: number }> {
	const started = performance.now();
	return new Promise((resolve) => {
		const req = http.request(
			url,
			{ method: 'POST', agent: agent ?? false, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers }, timeout: 8000 },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (c: string) => (text += c));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
			}
		);
		req.on('timeout', () => {
			req.destroy();
			resolve({ status: 0, body: 'no answer within 8 s', ms: performance.now() - started });
		});
		req.on('error', (err) => resolve({ status: -1, body: String(err), ms: performance.now() - started }));
		req.end(body);
	});
}

async function loggedIn(username: string): Promise<HttpClient> {
	const c = new HttpClient(app.url);
	await c.login(username);
	return c;
}

describe('security headers', () => {
	function expectCommonHeaders(res: Response) {
		expect(res.headers.get('x-frame-options')).toBe('DENY');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('referrer-policy')).toBe('same-origin');
	}

	it('a page carries a CSP without inline scripts, frame-ancestors none, and the other headers', async () => {
		for (const path of ['/login', '/verify']) {
			const res = await fetch(`${app.url}${path}`);
			expect(res.status, path).toBe(200);
			const csp = res.headers.get('content-security-policy');
			expect(csp, `${path} has a CSP`).toBeTruthy();
			// Two policies, both enforced: the build's, and one naming the video server (none here: video is off).
			const [policy, video] = csp!.split(',').map((p) => p.trim());
			expect(video).toBe("connect-src 'self'");
			const directives = new Map(
				policy
					.split(';')
					.map((d) => d.trim())
					.filter(Boolean)
					.map((d) => {
						const [name, ...values] = d.split(/\s+/);
						return [name, values] as const;
					})
			);
			const scriptSrc = directives.get('script-src') ?? directives.get('default-src');
			expect(scriptSrc, 'script-src').toBeDefined();
			expect(scriptSrc).toContain("'self'");
			expect(scriptSrc).not.toContain("'unsafe-inline'");
			expect(scriptSrc).not.toContain("'unsafe-eval'");
			expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
			expect(directives.get('object-src')).toEqual(["'none'"]);
			expectCommonHeaders(res);
			// Every inline script the page has is allowed by its hash (none runs without one).
			const html = await res.text();
			const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].filter((m) => m[1].trim());
			for (const m of inline) {
				const hash = (await import('node:crypto')).createHash('sha256').update(m[1]).digest('base64');
				expect(scriptSrc, 'inline script allowed by hash').toContain(`'sha256-${hash}'`);
			}
		}
	});

	it('an API response carries the same protective headers', async () => {
		for (const res of [await fetch(`${app.url}/api/health`), await fetch(`${app.url}/api/trpc/auth.me`), await trpcPost('auth.login', { username: 'x', password: '' })]) {
			expectCommonHeaders(res);
			await res.arrayBuffer();
		}
	});
});

describe('CSRF', () => {
	it('refuses a state-changing tRPC POST from another origin (403, nothing changes), accepts the app’s own', async () => {
		const admin = await loggedIn('admin');
		const username = `csrf.${Date.now()}`;
		const input = { username, fullName: 'Nạn nhân CSRF', password: 'mot-mat-khau-dai' };

		for (const headers of <Record<string, string>[]>[{ origin: 'https://evil.example' }, { origin: 'null' }, { 'sec-fetch-site': 'cross-site' }, { origin: app.url.replace('127.0.0.1', 'localhost') }]) {
			const res = await trpcPost('admin.createUser', input, { cookie: admin.cookie, ...headers });
			expect(res.status, JSON.stringify(headers)).toBe(403);
			const body = await res.json();
			expect(body.error.message).toMatch(VIETNAMESE);
		}
		expect(await db().selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()).toBeUndefined();

		const ok = await trpcPost('admin.createUser', input, { cookie: admin.cookie, origin: app.url, 'sec-fetch-site': 'same-origin' });
		expect(ok.status).toBe(200);
		expect((await ok.json()).result.data.userId).toEqual(expect.any(String));
		expect(await db().selectFrom('users').select('id').where('username', '=', username).executeTakeFirst()).toBeDefined();
	});

	it('refuses a cross-origin login too (login CSRF), and a cross-origin logout leaves the session alive', async () => {
		const res = await trpcPost('auth.login', { username: 'chair.26743', password: 'demo' }, { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		expect(sessionCookieOf(res)).toBeNull();

		const chair = await loggedIn('chair.26743');
		const logout = await trpcPost('auth.logout', null, { cookie: chair.cookie, origin: 'https://evil.example' });
		expect(logout.status).toBe(403);
		expect(await chair.query('auth.me')).toMatchObject({ username: 'chair.26743' });
	});

	it('refuses a SvelteKit form POST to /lang from another origin, accepts the same origin', async () => {
		const form = new URLSearchParams({ locale: 'en', back: '/' });
		const evil = await fetch(`${app.url}/lang`, { method: 'POST', body: form, headers: { origin: 'https://evil.example' }, redirect: 'manual' });
		expect(evil.status).toBe(403);
		expect(evil.headers.getSetCookie().join('\n')).not.toMatch(/lang|locale/i);

		const own = await fetch(`${app.url}/lang`, { method: 'POST', body: form, headers: { origin: app.url }, redirect: 'manual' });
		expect(own.status).toBe(303);
		expect(own.headers.get('location')).toBe('/');
		expect(own.headers.getSetCookie().length).toBeGreaterThan(0);
	});

	it('/lang never redirects off-site', async () => {
		for (const back of ['//evil.example/x', 'https://evil.example/', '/\\evil.example']) {
			const res = await fetch(`${app.url}/lang`, { method: 'POST', body: new URLSearchParams({ locale: 'vi', back }), headers: { origin: app.url }, redirect: 'manual' });
			expect(res.status).toBe(303);
			const location = new URL(res.headers.get('location')!, app.url);
			expect(location.origin, back).toBe(app.url);
		}
	});
});

describe('sessions', () => {
	it('replaces a session cookie planted before login (no fixation)', async () => {
		// An arbitrary value chosen by an attacker…
		const planted = 'a'.repeat(64);
		const res = await trpcPost('auth.login', { username: 'delegate.26743.3', password: 'demo' }, { cookie: `nts_session=${planted}` });
		expect(res.status).toBe(200);
		const issued = sessionCookieOf(res);
		expect(issued).toBeTruthy();
		expect(issued).not.toBe(planted);

		// …or a valid session of the attacker's own account, planted in the victim's browser.
		const attacker = await loggedIn('delegate.26743.4');
		const attackerToken = attacker.cookie.slice('nts_session='.length);
		const victimLogin = await trpcPost('auth.login', { username: 'delegate.26743.5', password: 'demo' }, { cookie: attacker.cookie });
		expect(victimLogin.status).toBe(200);
		const victimToken = sessionCookieOf(victimLogin);
		expect(victimToken).toBeTruthy();
		expect(victimToken).not.toBe(attackerToken);
		// The planted token no longer opens anything, and the new one is the victim's alone.
		const old = await fetch(`${app.url}/api/trpc/media.status`, { headers: { cookie: `nts_session=${attackerToken}` } });
		expect(old.status).toBe(401);
		const me = await (await fetch(`${app.url}/api/trpc/auth.me`, { headers: { cookie: `nts_session=${victimToken}` } })).json();
		expect(me.result.data.username).toBe('delegate.26743.5');
		// The session cookie is httpOnly and SameSite.
		const attrs = victimLogin.headers.getSetCookie().find((c) => c.startsWith('nts_session='))!;
		expect(attrs).toMatch(/HttpOnly/i);
		expect(attrs).toMatch(/SameSite=(Lax|Strict)/i);
		expect(attrs).toMatch(/Path=\//i);
	});

	it('logout invalidates the session on the server: the old cookie is UNAUTHORIZED', async () => {
		const c = await loggedIn('secretary.26743');
		const token = c.cookie;
		expect((await fetch(`${app.url}/api/trpc/media.status`, { headers: { cookie: token } })).status).toBe(200);
		const res = await trpcPost('auth.logout', null, { cookie: token, origin: app.url });
		expect(res.status).toBe(200);
		expect(res.headers.getSetCookie().find((s) => s.startsWith('nts_session='))).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/i);
		// The browser that ignores the clearing (or an attacker who copied the cookie) gets nothing.
		const replay = await fetch(`${app.url}/api/trpc/media.status`, { headers: { cookie: token } });
		expect(replay.status).toBe(401);
		expect((await replay.json()).error.data.code).toBe('UNAUTHORIZED');
		const mutation = await trpcPost('auth.logout', null, { cookie: token, origin: app.url });
		expect(mutation.status).toBe(401);
		expect(await (await fetch(`${app.url}/api/trpc/auth.me`, { headers: { cookie: token } })).json()).toMatchObject({ result: { data: null } });
	});
});

describe('oversized bodies', () => {
	it('POST /api/verify with 25 MB: 413 quickly, with a Vietnamese message', async () => {
		const body = Buffer.alloc(25 * 1024 * 1024, 0x41);
		const started = performance.now();
		const res = await fetch(`${app.url}/api/verify`, { method: 'POST', body, headers: { 'content-type': 'application/pdf' } });
		const elapsed = performance.now() - started;
		expect(res.status).toBe(413);
		const json = await res.json();
		expect(json.error.message).toMatch(VIETNAMESE);
		expect(json.error.message).toContain('20 MB');
		expect(elapsed).toBeLessThan(5000);
		// The same as a multipart upload.
		const form = new FormData();
		form.set('file', new Blob([body], { type: 'application/pdf' }), 'lon.pdf');
		const multipart = await fetch(`${app.url}/api/verify`, { method: 'POST', body: form, headers: { origin: app.url } });
		expect(multipart.status).toBe(413);
		expect((await multipart.json()).error.message).toMatch(VIETNAMESE);
		// The app still answers.
		expect((await fetch(`${app.url}/api/health`)).ok).toBe(true);
	});

	it('a 2 MB JSON body to a tRPC mutation is refused (4xx), never a 500', async () => {
		const chair = await loggedIn('chair.26743');
		const councilId = await councilIdOf('26743');
		const huge = 'Đ'.repeat(1024 * 1024); // 2 MB of UTF-8
		const cases: [string, string, Record<string, string>][] = [
			['auth.login', JSON.stringify({ username: 'chair.26743', password: huge }), {}],
			['auth.login', JSON.stringify({ username: huge, password: 'demo' }), {}],
			['sitting.create', JSON.stringify({ councilId, kind: 'regular', title: huge, startsAt: new Date().toISOString() }), { cookie: chair.cookie }],
			['sitting.create', JSON.stringify({ councilId, kind: 'regular', title: 'Kỳ họp', startsAt: new Date().toISOString(), venue: huge }), { cookie: chair.cookie }],
			['admin.importDelegates', JSON.stringify({ councilId, csv: huge }), { cookie: chair.cookie }], // not an admin
			['sitting.create', JSON.stringify({ councilId, title: huge }), {}], // not signed in
			['auth.login', '['.repeat(1024 * 1024) + ']'.repeat(1024 * 1024), {}], // 2 MB of nested arrays
			['auth.login', '{"username":' + ' '.repeat(2 * 1024 * 1024), {}] // not JSON
		];
		for (const [path, body, headers] of cases) {
			expect(Buffer.byteLength(body)).toBeGreaterThanOrEqual(2 * 1024 * 1024);
			// A fresh connection each (see the next test for what happens to a reused one).
			const res = await rawPost(`${app.url}/api/trpc/${path}`, body, { ...headers, connection: 'close' }, null);
			expect(res.status, `${path}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
			expect(res.status, path).toBeLessThan(500);
			expect(res.ms, path).toBeLessThan(5000);
		}
		// Nothing was created by the oversized sitting.create calls.
		const titles = await db().selectFrom('sittings').select('title').where('council_id', '=', councilId).execute();
		expect(titles.filter((t) => t.title.length > 10_000)).toEqual([]);
		expect((await fetch(`${app.url}/api/health`)).ok).toBe(true);
	});

	it('a keep-alive connection stays usable after a large body was refused before being read', async () => {
		// A browser reuses its connection: a refusal must not leave the unread rest of the body blocking it.
		const councilId = await councilIdOf('26743');
		const refusals: [string, string, Record<string, string>][] = [
			['/api/trpc/sitting.create', JSON.stringify({ councilId, title: 'x'.repeat(2 * 1024 * 1024) }), {}], // 413 from the declared length (over 1 MB)
			['/api/verify', 'A'.repeat(25 * 1024 * 1024), { 'content-type': 'application/pdf' }] // 413 from the declared length
		];
		const outcomes: Record<string, string> = {};
		for (const [path, body, headers] of refusals) {
			const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
			try {
				const refused = await rawPost(`${app.url}${path}`, body, headers, agent);
				const next = await rawPost(`${app.url}/api/trpc/auth.login`, JSON.stringify({ username: 'khong.ton.tai', password: 'sai' }), {}, agent);
				outcomes[path] = `refused ${refused.status}, then ${next.status}${next.status === 0 ? ` (${next.body})` : ''}`;
			} finally {
				agent.destroy();
			}
		}
		expect(outcomes).toEqual({
			'/api/trpc/sitting.create': 'refused 413, then 401',
			'/api/verify': 'refused 413, then 401'
		});
	});
});

describe('malformed and hostile PDFs to POST /api/verify', () => {
	it('accepts a multipart upload from an outside system without Origin (curl -F), as documented', async () => {
		// docs/api.md: POST /api/verify is public, "the PDF as the body or multipart field `file`".
		const form = new FormData();
		form.set('file', new Blob([Buffer.from('không phải PDF')], { type: 'application/pdf' }), 'x.pdf');
		const res = await fetch(`${app.url}/api/verify`, { method: 'POST', body: form });
		const text = await res.text();
		expect(res.status, text).toBe(400);
		expect(JSON.parse(text).error.code).toBe('NOT_A_PDF');
	});

	it('answer 400 with a clear Vietnamese message within a few seconds, never 500 or a hang', async () => {
		const inputs = await hostilePdfs();
		const timings: string[] = [];
		for (const { name, bytes } of inputs) {
			const started = performance.now();
			const res = await fetch(`${app.url}/api/verify`, { method: 'POST', body: Buffer.from(bytes), headers: { 'content-type': 'application/pdf' }, signal: AbortSignal.timeout(10_000) });
			const elapsed = performance.now() - started;
			const text = await res.text();
			timings.push(`${name}: ${res.status} in ${elapsed.toFixed(0)} ms`);
			expect(res.status, `${name}: ${text.slice(0, 300)}`).toBe(400);
			const json = JSON.parse(text);
			expect(json.error.code, name).toEqual(expect.any(String));
			expect(json.error.message, name).toMatch(VIETNAMESE);
			expect(elapsed, name).toBeLessThan(5000);
		}
		console.log(timings.join('\n'));
		// The same hostile files as a multipart upload (the page's form) are refused alike.
		const form = new FormData();
		form.set('file', new Blob([Buffer.from(inputs.find((i) => i.name.startsWith('10k nested'))!.bytes)], { type: 'application/pdf' }), 'x.pdf');
		const multipart = await fetch(`${app.url}/api/verify`, { method: 'POST', body: form, headers: { origin: app.url } });
		expect(multipart.status).toBe(400);
		expect((await multipart.json()).error.message).toMatch(VIETNAMESE);
		expect((await fetch(`${app.url}/api/health`)).ok).toBe(true);
		expect(app.process.exitCode).toBeNull();
	});
});
