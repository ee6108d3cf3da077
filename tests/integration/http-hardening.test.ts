import http from 'node:http';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translate } from '../../app/lib/i18n';
import { CSV_IMPORT_BODY_LIMIT, DEFAULT_BODY_LIMIT } from '../../app/lib/server/http/body-limit';
import { storeDocument } from '../../app/lib/server/sittings/documents';
import { WEAK_SECRET_PROBLEM } from '../../media/config';
import { councilIdOf, db, userIdOf } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { convenedSitting } from '../helpers/sittings';

// Issue 19, the attacks that needed only HTTP, replayed against the running app (the launcher of `npm start`,
// adapter-node, hooks, the direct node:http routes): oversized bodies, open redirects, caching of personal
// answers, HSTS, a weak LiveKit secret, and file routes that told unknown ids from other councils' ones.

const MB = 1024 * 1024;
const HSTS = 'max-age=31536000; includeSubDomains';

let app: AppServer;
beforeAll(async () => {
	app = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
});
afterAll(async () => {
	await app?.stop();
});

async function loggedIn(username: string, server = app): Promise<HttpClient> {
	const c = new HttpClient(server.url);
	await c.login(username);
	return c;
}

interface RawAnswer {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: string;
	ms: number;
}

/**
 * A request on a connection of its own, as an attacker's script sends it: `chunks` are written in order, then the
 * request is ended — or, with `hold`, left open, so only an answer given before the body was read can arrive.
 * Without `content-length` in `headers`, Node sends the body chunked. Never waits more than 10 s (status 0).
 */
function send(path: string, opts: { method?: string; headers: Record<string, string>; chunks: Buffer[]; hold?: boolean }): Promise<RawAnswer> {
	const started = performance.now();
	return new Promise((resolve) => {
		let settled = false;
		const settle = (answer: Omit<RawAnswer, 'ms'>) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			req.destroy();
			resolve({ ...answer, ms: performance.now() - started });
		};
		let response: http.IncomingMessage | undefined;
		let text = '';
		const req = http.request(`${app.url}${path}`, { method: opts.method ?? 'POST', agent: false, headers: opts.headers }, (res) => {
			response = res;
			res.setEncoding('utf8');
			res.on('data', (c: string) => (text += c));
			res.on('end', () => settle({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
		});
		const timer = setTimeout(() => settle({ status: 0, headers: {}, body: 'no answer within 10 s' }), 10_000);
		// The server closes the connection after its answer while a script may still be writing its body: the
		// write then fails (EPIPE), which is no fault of the answer already read.
		req.on('error', (err) =>
			settle(response && text ? { status: response.statusCode ?? 0, headers: response.headers, body: text } : { status: -1, headers: {}, body: String(err) })
		);
		for (const chunk of opts.chunks) req.write(chunk);
		if (!opts.hold) req.end();
	});
}

/** `size` bytes of nested JSON arrays, the body that made the server stall. */
function nestedJson(size: number): Buffer {
	return Buffer.from('['.repeat(size / 2) + ']'.repeat(size / 2));
}

/** The API's refusal of a body over the limit: tRPC's error shape, the Vietnamese message, the connection closed. */
function expectTooLarge(answer: RawAnswer) {
	expect(answer.status, answer.body.slice(0, 200)).toBe(413);
	expect(answer.headers.connection).toBe('close');
	expect(answer.headers['cache-control']).toBe('no-store');
	const { error } = JSON.parse(answer.body);
	expect(error.message).toBe(translate('vi', 'error.tooLarge'));
	expect(error.data.code).toBe('PAYLOAD_TOO_LARGE');
	expect(error.data.httpStatus).toBe(413);
}

/** CPU time (user + system, ms) the process `pid` has used so far: unlike wall-clock time, not stretched by load. */
function cpuMsOf(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in clock ticks (100 per second)
}

/** Waits until the process `pid` has used no CPU for 200 ms (10 s at most): whatever it does after starting is done. */
async function settled(pid: number): Promise<void> {
	for (const end = performance.now() + 10_000; performance.now() < end; ) {
		const before = cpuMsOf(pid);
		await new Promise((resolve) => setTimeout(resolve, 200));
		if (cpuMsOf(pid) === before) return;
	}
}

/** The CPU time (ms) that parsing `body` (nested JSON) costs: a 1 MB piece of it parsed here, times the pieces. */
function parseCpuMs(body: Buffer): number {
	const piece = Buffer.concat([body.subarray(0, MB / 2), body.subarray(body.length - MB / 2)]);
	const before = process.cpuUsage();
	JSON.parse(piece.toString());
	const { user, system } = process.cpuUsage(before);
	return ((user + system) / 1000) * (body.length / piece.length);
}

async function timedHealth(): Promise<number> {
	const started = performance.now();
	const res = await fetch(`${app.url}/api/health`);
	await res.arrayBuffer();
	expect(res.status).toBe(200);
	return performance.now() - started;
}

describe('body limits', () => {
	it('a 20 MB JSON body to auth.login: 413 from its declared length, before a byte of it is read', async () => {
		const body = nestedJson(20 * MB);
		// Only the first 64 KB is sent and the request stays open: the answer must come without the rest.
		const answer = await send('/api/trpc/auth.login', {
			headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
			chunks: [body.subarray(0, 64 * 1024)],
			hold: true
		});
		expectTooLarge(answer);
	});

	it('three 20 MB bodies sent at once but for their last byte: each 413, and /api/health answers at once meanwhile', async () => {
		// No claim here is a number of milliseconds: CI runs test files in parallel on 2 cores, where any request may
		// wait a second or two for a core. Instead, the last byte of each body is never sent, so a server that reads
		// (or parses) a body before refusing it has no answer to give; and the server's work is counted in CPU time.
		const body = nestedJson(20 * MB);
		const pid = app.process.pid!;
		// What the app still does after starting (hooks.server.ts init: the timestamp authority, background jobs) is not
		// this test's to count.
		await settled(pid);
		const cpuBefore = cpuMsOf(pid);
		const attacks = Array.from({ length: 3 }, () =>
			send('/api/trpc/auth.login', {
				headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
				chunks: [body.subarray(0, body.length - 1)],
				hold: true
			})
		);
		// Probes while the attacks are in flight (before the fix, three parses held health up for 5.8 s).
		const probes: number[] = [];
		for (let i = 0; i < 5; i++) probes.push(await timedHealth());
		const answers = await Promise.all(attacks);
		const serverCpu = cpuMsOf(pid) - cpuBefore;
		const oneParse = parseCpuMs(body);
		const figures = `answers ${answers.map((a) => a.ms.toFixed(0)).join(', ')} ms; probes ${probes.map((ms) => ms.toFixed(0)).join(', ')} ms; server CPU meanwhile ${serverCpu} ms; parsing one body ${oneParse.toFixed(0)} ms of CPU`;
		for (const answer of answers) expectTooLarge(answer);
		// Nothing held health up as a parse did: all the server did meanwhile cost less CPU than parsing one body.
		expect(serverCpu, figures).toBeLessThan(oneParse);
	});

	it('a chunked body (no declared length) is cut at the limit, also to a form action', async () => {
		// 1.5 MB written, the request left open: only a server that counts what it reads can answer.
		const chunks = Array.from({ length: 24 }, () => Buffer.alloc(64 * 1024, '['));
		expectTooLarge(await send('/api/trpc/auth.login', { headers: { 'content-type': 'application/json' }, chunks, hold: true }));
		const page = await send('/lang', { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url }, chunks, hold: true });
		expect(page.status).toBe(413);
		expect(page.headers.connection).toBe('close');
		expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
	});

	it('the direct vote.cast route (node:http, before SvelteKit) refuses alike, declared or chunked, in Vietnamese', async () => {
		const body = nestedJson(20 * MB);
		expectTooLarge(
			await send('/api/trpc/vote.cast', {
				headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
				chunks: [body.subarray(0, 64 * 1024)],
				hold: true
			})
		);
		const chunks = Array.from({ length: 8 }, () => Buffer.alloc(64 * 1024, '['));
		expectTooLarge(await send('/api/trpc/vote.cast', { headers: { 'content-type': 'application/json' }, chunks, hold: true }));
	});

	it('a 2 MB PDF is still accepted by the document upload route', async () => {
		const { sittingId } = await convenedSitting();
		const doc = await PDFDocument.create();
		doc.addPage().drawText('To trinh', { x: 40, y: 700, size: 12 });
		await doc.attach(randomBytes(2 * MB), 'phu-luc.bin', { mimeType: 'application/octet-stream' });
		const bytes = await doc.save();
		expect(bytes.length).toBeGreaterThan(2 * MB);
		const secretary = await loggedIn('secretary.26743');
		const form = new FormData();
		form.set('file', new Blob([Buffer.from(bytes)], { type: 'application/pdf' }), 'to-trinh.pdf');
		const res = await fetch(`${app.url}/api/sittings/${sittingId}/documents`, { method: 'POST', body: form, headers: { cookie: secretary.cookie, origin: app.url } });
		const text = await res.text();
		expect(res.status, text.slice(0, 300)).toBe(201);
		expect(JSON.parse(text).document.sizeBytes).toBe(bytes.length);
	});

	it('the CSV import takes more than 1 MB from an admin only; nobody gets past its own larger limit', async () => {
		const councilId = await councilIdOf('26743');
		// Rows of one column (each refused at once, no password hashed): 1.2 MB of UTF-8 in under the procedure's
		// 1,000,000 characters, as a list of Vietnamese names is.
		const line = 'Đặng Thị Ngọc Hường\n';
		const csv = line.repeat(Math.ceil((1.2 * MB) / Buffer.byteLength(line)));
		expect(csv.length).toBeLessThanOrEqual(1_000_000);
		const body = Buffer.from(JSON.stringify({ councilId, csv }));
		expect(body.length).toBeGreaterThan(DEFAULT_BODY_LIMIT);
		const headers = { 'content-type': 'application/json', 'content-length': String(body.length) };

		const admin = await loggedIn('admin');
		const imported = await send('/api/trpc/admin.importDelegates', { headers: { ...headers, cookie: admin.cookie }, chunks: [body] });
		expect(imported.status, imported.body.slice(0, 300)).toBe(200);
		expect(JSON.parse(imported.body).result.data.imported).toBe(0);

		const chair = await loggedIn('chair.26743');
		expectTooLarge(await send('/api/trpc/admin.importDelegates', { headers: { ...headers, cookie: chair.cookie }, chunks: [body.subarray(0, 64 * 1024)], hold: true }));
		expectTooLarge(await send('/api/trpc/admin.importDelegates', { headers, chunks: [body.subarray(0, 64 * 1024)], hold: true }));
		const over = String(CSV_IMPORT_BODY_LIMIT + 1);
		expectTooLarge(
			await send('/api/trpc/admin.importDelegates', { headers: { ...headers, 'content-length': over, cookie: admin.cookie }, chunks: [body.subarray(0, 64 * 1024)], hold: true })
		);
	});
});

describe('redirects stay on this site', () => {
	it('/login?next=/%5Cevil.example/x sends a signed-in user to /, and keeps a path of ours', async () => {
		const delegate = await loggedIn('delegate.26743.7');
		const evil = await fetch(`${app.url}/login?next=/%5Cevil.example/x`, { headers: { cookie: delegate.cookie }, redirect: 'manual' });
		expect(evil.status).toBe(303);
		expect(evil.headers.get('location')).toBe('/');
		const own = await fetch(`${app.url}/login?next=${encodeURIComponent('/councils?q=1')}`, { headers: { cookie: delegate.cookie }, redirect: 'manual' });
		expect(own.status).toBe(303);
		expect(own.headers.get('location')).toBe('/councils?q=1');
	});

	it('/lang with back=/.//evil.example/x goes back to /', async () => {
		for (const back of ['/.//evil.example/x', '/%5Cevil.example/x', '/\\evil.example/x', '//evil.example/x']) {
			const res = await fetch(`${app.url}/lang`, { method: 'POST', body: new URLSearchParams({ locale: 'vi', back }), headers: { origin: app.url }, redirect: 'manual' });
			expect(res.status, back).toBe(303);
			expect(res.headers.get('location'), back).toBe('/');
		}
	});
});

describe('caching of personal answers', () => {
	it('a signed-in page, tRPC answers, the login answer, minutes and documents are no-store; static assets keep their caching', async () => {
		const { sittingId } = await convenedSitting();
		const bytes = await (async () => {
			const d = await PDFDocument.create();
			d.addPage();
			return d.save();
		})();
		const document = await storeDocument(db(), { sittingId, filename: 'a.pdf', bytes, uploadedBy: await userIdOf('secretary.26743') });

		const login = await fetch(`${app.url}/api/trpc/auth.login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'delegate.26743.9', password: 'demo' }) });
		expect(login.status).toBe(200);
		expect(login.headers.get('cache-control')).toBe('no-store');
		const cookie = login.headers.getSetCookie().find((c) => c.startsWith('nts_session='))!.split(';')[0];
		await login.arrayBuffer();

		const page = await fetch(`${app.url}/`, { headers: { cookie } });
		expect(page.status).toBe(200);
		const html = await page.text();
		const answers: Record<string, string | null> = { page: page.headers.get('cache-control') };
		for (const [name, path] of [
			['auth.me', '/api/trpc/auth.me'],
			['batched queries', '/api/trpc/auth.me,media.status?batch=1&input=%7B%7D'],
			['minutes.csv', `/api/minutes/${sittingId}/minutes.csv`],
			['document', `/api/documents/${document.id}`]
		]) {
			const res = await fetch(`${app.url}${path}`, { headers: { cookie } });
			expect(res.status, name).toBe(200);
			answers[name] = res.headers.get('cache-control');
			await res.arrayBuffer();
		}
		expect(answers).toEqual({ page: 'no-store', 'auth.me': 'no-store', 'batched queries': 'no-store', 'minutes.csv': 'no-store', document: 'no-store' });

		// The build's hashed assets, even for a signed-in browser.
		const asset = html.match(/\/_app\/immutable\/[^"']+\.js/)![0];
		const res = await fetch(`${app.url}${asset}`, { headers: { cookie } });
		expect(res.status).toBe(200);
		expect(res.headers.get('cache-control')).toBe('public,max-age=31536000,immutable');
		await res.arrayBuffer();
	});
});

describe('HSTS', () => {
	let secure: AppServer;
	beforeAll(async () => {
		secure = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { ORIGIN: 'https://hdnd.example.gov.vn' } });
	});
	afterAll(async () => {
		await secure?.stop();
	});

	it('is sent on every answer when ORIGIN is https (pages, API, the direct routes), and never over plain http', async () => {
		const requests: [string, RequestInit][] = [
			['/login', {}],
			['/api/health', {}],
			['/api/trpc/auth.me', {}],
			['/api/trpc/vote.cast', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }] // the direct route's 400
		];
		const seen: Record<string, [number, string | null, string | null]> = {};
		for (const [path, init] of requests) {
			const withTls = await fetch(`${secure.url}${path}`, init);
			const plain = await fetch(`${app.url}${path}`, init);
			seen[path] = [withTls.status, withTls.headers.get('strict-transport-security'), plain.headers.get('strict-transport-security')];
			await Promise.all([withTls.arrayBuffer(), plain.arrayBuffer()]);
		}
		expect(seen).toEqual({
			'/login': [200, HSTS, null],
			'/api/health': [200, HSTS, null],
			'/api/trpc/auth.me': [200, HSTS, null],
			'/api/trpc/vote.cast': [400, HSTS, null]
		});
	});
});

describe('LiveKit secret', () => {
	const weak = 'secret';
	let server: AppServer;
	beforeAll(async () => {
		server = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { LIVEKIT_URL: 'ws://127.0.0.1:9', LIVEKIT_API_KEY: 'devkey', LIVEKIT_API_SECRET: weak } });
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('a secret shorter than 32 characters is refused at start: video off, the reason in the log, never the secret', async () => {
		// Reported while starting, before any page asked for the configuration.
		const lines = server
			.output()
			.split('\n')
			.filter((l) => l.startsWith('{'))
			.map((l) => JSON.parse(l) as { msg: string; problems?: string[] });
		const refused = lines.filter((l) => l.msg === 'video disabled: LiveKit configuration refused');
		expect(refused.map((l) => l.problems)).toEqual([[WEAK_SECRET_PROBLEM]]);
		expect(server.output()).not.toContain(`"${weak}"`);

		const delegate = await loggedIn('delegate.26743.10', server);
		expect(await delegate.query('media.status')).toEqual({ enabled: false });
		const page = await fetch(`${server.url}/login`);
		await page.arrayBuffer();
		// The page's second policy names no video server: only the app itself.
		expect(page.headers.get('content-security-policy')!.split(',').map((p) => p.trim())[1]).toBe("connect-src 'self'");
	});
});

describe('file routes answer an unknown id as another council’s', () => {
	it('documents, minutes and unissued resolutions: the same status and body for both', async () => {
		const foreign = await convenedSitting('26740');
		const pdf = await (async () => {
			const d = await PDFDocument.create();
			d.addPage();
			return d.save();
		})();
		const document = await storeDocument(db(), { sittingId: foreign.sittingId, filename: 'b.pdf', bytes: pdf, uploadedBy: await userIdOf('secretary.26740') });
		// An adopted (not yet issued) resolution of the other council, with its first revision.
		const resolution = await db()
			.insertInto('resolutions')
			.values({
				council_id: foreign.councilId,
				sitting_id: foreign.sittingId,
				item_id: foreign.itemId,
				title: 'Nghị quyết chưa ban hành',
				body: JSON.stringify({}),
				status: 'adopted',
				short_code: `T${randomBytes(6).toString('hex').toUpperCase()}`
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await db().insertInto('resolution_revisions').values({ resolution_id: resolution.id, revision: 0, pdf: Buffer.from(pdf), sha256: 'x'.repeat(64) }).execute();

		const delegate = await loggedIn('delegate.26743.11');
		const routes: [string, string, string][] = [
			['document', `/api/documents/${randomUUID()}`, `/api/documents/${document.id}`],
			['minutes', `/api/minutes/${randomUUID()}/minutes.pdf`, `/api/minutes/${foreign.sittingId}/minutes.pdf`],
			['resolution', `/resolutions/${randomUUID()}.pdf`, `/resolutions/${resolution.id}.pdf`]
		];
		const answers: Record<string, unknown> = {};
		for (const [name, unknown, other] of routes) {
			for (const [kind, path] of [
				['unknown', unknown],
				['foreign', other]
			]) {
				const res = await fetch(`${app.url}${path}`, { headers: { cookie: delegate.cookie, accept: 'application/json' } });
				answers[`${name} ${kind}`] = [res.status, await res.json()];
			}
		}
		const forbiddenJson = { message: translate('vi', 'auth.forbidden') };
		expect(answers).toEqual({
			'document unknown': [403, { error: { message: translate('vi', 'auth.forbidden'), code: 'auth.forbidden' } }],
			'document foreign': [403, { error: { message: translate('vi', 'auth.forbidden'), code: 'auth.forbidden' } }],
			'minutes unknown': [403, forbiddenJson],
			'minutes foreign': [403, forbiddenJson],
			'resolution unknown': [403, forbiddenJson],
			'resolution foreign': [403, forbiddenJson]
		});

		// Not signed in: an unknown and an unissued resolution are both "please sign in".
		const anonymous = await Promise.all([`/resolutions/${randomUUID()}.pdf`, `/resolutions/${resolution.id}.pdf`].map((p) => fetch(`${app.url}${p}`, { headers: { accept: 'application/json' } })));
		expect(await Promise.all(anonymous.map(async (r) => [r.status, await r.json()]))).toEqual([
			[401, { message: translate('vi', 'auth.required') }],
			[401, { message: translate('vi', 'auth.required') }]
		]);
	});
});
