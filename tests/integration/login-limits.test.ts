import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BATCH_CALLS } from '../../app/lib/api-batch';
import { translate } from '../../app/lib/i18n';
import { LOGIN_WINDOW_MINUTES, MAX_FAILURES_PER_ACCOUNT_AND_IP, MAX_FAILURES_PER_IP } from '../../app/lib/server/auth/rate-limit';
import { db, userIdOf } from '../helpers/callers';
import { startAppServer, type AppServer } from '../helpers/app-server';

// The attacks of issue 19 on login limits, against the built app over real HTTP: guesses batched into one tRPC
// request, guesses sent in parallel, and an attacker locking the owner out of their account. The app takes the
// caller's address from X-Forwarded-For (as behind the reverse proxy of a deployment), so one test process can
// speak from as many addresses as it needs.

let app: AppServer;
beforeAll(async () => {
	app = await startAppServer({ databaseUrl: process.env.DATABASE_URL!, env: { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' } });
});
afterAll(async () => {
	await app?.stop();
});

interface Answer {
	status: number;
	/** The session cookie the answer sets, if any. */
	session: string | null;
	/** The i18n key of a refusal, null for a success. */
	i18nKey: string | null;
	message: string | null;
}

async function answerOf(res: Response): Promise<Answer> {
	const body = await res.json();
	const session = res.headers.getSetCookie().find((c) => c.startsWith('nts_session='));
	const error = Array.isArray(body) ? null : body.error;
	return { status: res.status, session: session ? session.split(';')[0] : null, i18nKey: error?.data?.i18nKey ?? null, message: error?.message ?? null };
}

/** POSTs to /api/trpc/<path> from the given client address. */
async function trpcPostFrom(ip: string, path: string, body: unknown): Promise<Answer> {
	const res = await fetch(`${app.url}/api/trpc/${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify(body) });
	return answerOf(res);
}

function loginFrom(ip: string, username: string, password: string): Promise<Answer> {
	return trpcPostFrom(ip, 'auth.login', { username, password });
}

/** How many answers had each status, e.g. { 401: 5, 429: 15 }. */
function statusCounts(answers: Answer[]): Record<number, number> {
	const counts: Record<number, number> = {};
	for (const a of answers) counts[a.status] = (counts[a.status] ?? 0) + 1;
	return counts;
}

async function sessionCount(username: string): Promise<number> {
	const row = await db()
		.selectFrom('sessions')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('user_id', '=', await userIdOf(username))
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

async function failureCount(username: string): Promise<number> {
	const row = await db()
		.selectFrom('login_failures')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.where('username', '=', username)
		.executeTakeFirstOrThrow();
	return Number(row.n);
}

/** `n` wrong-password logins for one account from one address, all sent at once. */
function parallelWrongLogins(ip: string, username: string, n: number): Promise<Answer[]> {
	return Promise.all(Array.from({ length: n }, (_, i) => loginFrom(ip, username, `wrong-${i}`)));
}

const accountIpLimited = translate('vi', 'auth.accountIpLimited', { minutes: LOGIN_WINDOW_MINUTES });

describe('login limits against batched guesses', () => {
	it('refuses a batch of logins before any runs, even one holding the right password, and creates no session', async () => {
		const username = 'delegate.26743.11';
		const guesses = ['wrong-1', 'wrong-2', 'demo', 'wrong-3'];
		const path = guesses.map(() => 'auth.login').join(',');
		const input = Object.fromEntries(guesses.map((password, i) => [i, { username, password }]));
		const answer = await trpcPostFrom('10.19.1.1', `${path}?batch=1`, input);
		expect(answer).toEqual({ status: 400, session: null, i18nKey: 'auth.batchAlone', message: translate('vi', 'auth.batchAlone') });
		expect(await sessionCount(username)).toBe(0);
		// Refused before reading a password: not even an attempt was counted.
		expect(await failureCount(username)).toBe(0);
	});

	it('refuses a batch of logins whose commas are URL-encoded', async () => {
		const credentials = { username: 'delegate.26743.11', password: 'demo' };
		const answer = await trpcPostFrom('10.19.1.2', 'auth.login%2Cauth.login?batch=1', { 0: credentials, 1: credentials });
		expect([answer.status, answer.session, answer.i18nKey]).toEqual([400, null, 'auth.batchAlone']);
	});

	it(`refuses a batch of more than ${MAX_BATCH_CALLS} calls of any procedure, and answers one of ${MAX_BATCH_CALLS}`, async () => {
		const batchOf = (n: number) => fetch(`${app.url}/api/trpc/${Array.from({ length: n }, () => 'auth.me').join(',')}?batch=1`, { headers: { 'x-forwarded-for': '10.19.1.3' } });
		const tooMany = await answerOf(await batchOf(MAX_BATCH_CALLS + 1));
		expect(tooMany).toEqual({ status: 400, session: null, i18nKey: 'error.batchTooLarge', message: translate('vi', 'error.batchTooLarge', { max: MAX_BATCH_CALLS }) });
		const res = await batchOf(MAX_BATCH_CALLS);
		expect(res.status).toBe(200);
		expect(((await res.json()) as unknown[]).length).toBe(MAX_BATCH_CALLS);
	});
});

describe('login limits against parallel guesses', () => {
	it('answers parallel wrong passwords for one account from one address with exactly the limit of 401s, then 429s', async () => {
		const username = 'delegate.26743.12';
		const answers = await parallelWrongLogins('10.19.2.1', username, 20);
		expect(statusCounts(answers)).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT_AND_IP, 429: 20 - MAX_FAILURES_PER_ACCOUNT_AND_IP });
		expect(answers.filter((a) => a.status === 429).map((a) => a.message)).toEqual(Array(20 - MAX_FAILURES_PER_ACCOUNT_AND_IP).fill(accountIpLimited));
		expect(await failureCount(username)).toBe(MAX_FAILURES_PER_ACCOUNT_AND_IP);
		expect(await sessionCount(username)).toBe(0);
	});

	it('lets no parallel guess in once the limit is reached, not even the right password', async () => {
		const username = 'delegate.26743.13';
		const ip = '10.19.2.2';
		expect(statusCounts(await parallelWrongLogins(ip, username, MAX_FAILURES_PER_ACCOUNT_AND_IP))).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT_AND_IP });
		const guesses = ['wrong-a', 'wrong-b', 'demo', 'wrong-c', 'wrong-d'];
		const answers = await Promise.all(guesses.map((password) => loginFrom(ip, username, password)));
		expect(answers.map((a) => [a.status, a.session, a.i18nKey])).toEqual(guesses.map(() => [429, null, 'auth.accountIpLimited']));
		expect(await sessionCount(username)).toBe(0);
	});

	it('answers parallel guesses at many usernames from one address with exactly the address limit of 401s, then 429s', async () => {
		const extra = 10;
		const answers = await Promise.all(Array.from({ length: MAX_FAILURES_PER_IP + extra }, (_, i) => loginFrom('10.19.2.3', `nobody.${i}`, 'demo')));
		expect(statusCounts(answers)).toEqual({ 401: MAX_FAILURES_PER_IP, 429: extra });
		expect(answers.filter((a) => a.status === 429).map((a) => a.i18nKey)).toEqual(Array(extra).fill('auth.ipLimited'));
	});
});

describe('login limits against locking the owner out', () => {
	it("lets the owner in from another address after an attacker's failures, and keeps refusing the attacker", async () => {
		const username = 'chair.26743';
		const attacker = '10.19.3.1';
		const attack = await parallelWrongLogins(attacker, username, MAX_FAILURES_PER_ACCOUNT_AND_IP + 3);
		expect(statusCounts(attack)).toEqual({ 401: MAX_FAILURES_PER_ACCOUNT_AND_IP, 429: 3 });

		const owner = await loginFrom('10.19.3.2', username, 'demo');
		expect([owner.status, owner.i18nKey]).toEqual([200, null]);
		expect(owner.session).not.toBeNull();
		expect(await sessionCount(username)).toBe(1);

		// The owner's login forgot only the owner's own address's failures: the attacker stays refused.
		const again = await loginFrom(attacker, username, 'demo');
		expect([again.status, again.session, again.i18nKey]).toEqual([429, null, 'auth.accountIpLimited']);
	});
});
