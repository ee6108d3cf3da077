import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCALE_COOKIE } from '../../app/lib/i18n';
import { db } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';
import { HttpClient } from '../helpers/http-client';
import { sittingInProgress } from '../helpers/sittings';

// vote.cast is answered on node:http before SvelteKit (app/lib/server/api/direct/). A batched call of
// the same procedure (`?batch=1`) still goes through SvelteKit and tRPC's fetch adapter, so the two answers
// can be compared: the direct one must say exactly what tRPC says, and refuse exactly what it refuses.

let app: AppServer;
beforeAll(async () => {
	app = await startAppServer({ databaseUrl: process.env.DATABASE_URL! });
});
afterAll(async () => {
	await app?.stop();
});

interface Answer {
	status: number;
	headers: Headers;
	body: unknown;
}

async function direct(client: HttpClient, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
	const res = await fetch(`${app.url}/api/trpc/vote.cast`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: client.cookie, ...headers }, body: typeof input === 'string' ? input : JSON.stringify(input) });
	return { status: res.status, headers: res.headers, body: await res.json() };
}

/** The same call batched: answered by tRPC's fetch adapter; the single answer unwrapped from its array. */
async function viaTrpc(client: HttpClient, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
	const res = await fetch(`${app.url}/api/trpc/vote.cast?batch=1`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: client.cookie, ...headers }, body: JSON.stringify({ 0: input }) });
	return { status: res.status, headers: res.headers, body: ((await res.json()) as unknown[])[0] };
}

async function ballotsOf(voteId: string): Promise<number> {
	return Number((await db().selectFrom('votes').select('ballots_cast').where('id', '=', voteId).executeTakeFirstOrThrow()).ballots_cast);
}

async function openVote() {
	const { sittingId, itemId, chair } = await sittingInProgress(30);
	const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua nghị quyết?', kind: 'open', rule: 'majority' });
	return voteId;
}

async function signedIn(username: string): Promise<HttpClient> {
	const client = new HttpClient(app.url);
	await client.login(username);
	return client;
}

describe('vote.cast answered directly on node:http', () => {
	it('accepts a ballot with the answer, status and headers of tRPC, and counts it once', async () => {
		const voteId = await openVote();
		const one = await direct(await signedIn('delegate.26743.1'), { voteId, choice: 'yes' });
		const two = await viaTrpc(await signedIn('delegate.26743.2'), { voteId, choice: 'no' });
		expect(one.status).toBe(200);
		expect(one.body).toEqual(two.body);
		expect(one.body).toEqual({ result: { data: { accepted: true } } });
		for (const name of ['content-type', 'x-content-type-options', 'x-frame-options', 'referrer-policy', 'vary']) {
			expect(one.headers.get(name), name).toBe(two.headers.get(name));
		}
		expect(await ballotsOf(voteId)).toBe(2);
	});

	it('refuses what tRPC refuses, with the same status and the same translated error', async () => {
		const voteId = await openVote();
		const delegate = await signedIn('delegate.26743.3');
		await direct(delegate, { voteId, choice: 'yes' });
		const cases: [string, HttpClient, unknown][] = [
			['not signed in', new HttpClient(app.url), { voteId, choice: 'yes' }],
			['bad input', delegate, { voteId: 'không-phải-uuid', choice: 'có' }],
			['not a delegate', await signedIn('secretary.26743'), { voteId, choice: 'yes' }],
			['another council', await signedIn('delegate.26740.1'), { voteId, choice: 'yes' }],
			['second ballot', delegate, { voteId, choice: 'no' }],
			['unknown vote', delegate, { voteId: '00000000-0000-4000-8000-000000000000', choice: 'yes' }]
		];
		for (const [label, client, input] of cases) {
			const [ours, theirs] = [await direct(client, input), await viaTrpc(client, input)];
			expect(ours.status, label).toBe(theirs.status);
			expect(ours.status, label).toBeGreaterThanOrEqual(400);
			expect(ours.body, label).toEqual(theirs.body);
		}
		// in the language of the locale cookie
		const message = (a: Answer) => (a.body as { error: { message: string } }).error.message;
		const inEnglish = { cookie: `${delegate.cookie}; ${LOCALE_COOKIE}=en` };
		const [ours, theirs] = [await direct(delegate, { voteId, choice: 'no' }, inEnglish), await viaTrpc(delegate, { voteId, choice: 'no' }, inEnglish)];
		expect(ours.body).toEqual(theirs.body);
		expect(message(ours)).not.toBe(message(await direct(delegate, { voteId, choice: 'no' })));
		expect(await ballotsOf(voteId)).toBe(1);
	});

	it('refuses a malformed body, an oversized body and a write from another site, changing nothing', async () => {
		const voteId = await openVote();
		const delegate = await signedIn('delegate.26743.4');
		const malformed = await direct(delegate, '{"voteId": ');
		expect(malformed.status).toBe(400);
		expect((malformed.body as { error: { data: { code: string } } }).error.data.code).toBe('PARSE_ERROR');
		const huge = await direct(delegate, { voteId, choice: 'yes', idempotencyKey: 'x'.repeat(300_000) });
		expect(huge.status).toBe(413);
		const crossSite = await direct(delegate, { voteId, choice: 'yes' }, { origin: 'https://evil.example' });
		expect(crossSite.status).toBe(403);
		expect((crossSite.body as { error: { message: string } }).error.message).toMatch(/\S/);
		expect(await ballotsOf(voteId)).toBe(0);
		// and the same delegate can still vote afterwards
		expect((await direct(delegate, { voteId, choice: 'yes' })).status).toBe(200);
		expect(await ballotsOf(voteId)).toBe(1);
	});
});
