import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page, type PlaywrightWorkerArgs } from '@playwright/test';

export const PASSWORD = 'demo';
export const COUNCIL = '26743'; // Phường Bến Thành: 30 seated delegates, quorum 20
export const OTHER_COUNCIL = '26740'; // Phường Sài Gòn

type Playwright = PlaywrightWorkerArgs['playwright'];

function baseURL(): string {
	const url = test.info().project.use.baseURL;
	if (!url) throw new Error('baseURL is not configured');
	return url;
}

/** Signs in through the API with the given request context, so its cookie jar holds the session. */
export async function apiLogin(request: APIRequestContext, username: string): Promise<void> {
	const res = await request.post('/api/trpc/auth.login', { data: { username, password: PASSWORD } });
	expect(res.ok(), `login ${username}: ${res.status()} ${await res.text()}`).toBeTruthy();
}

/** A tRPC mutation (POST, JSON input); throws with the server's message on refusal. */
export async function mutate<T = unknown>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
	const res = await request.post(`/api/trpc/${path}`, { data: input ?? {} });
	const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
	if (!res.ok() || !body.result) throw new Error(`${path} → ${res.status()}: ${body.error?.message ?? JSON.stringify(body)}`);
	return body.result.data;
}

export async function query<T = unknown>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
	const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
	const res = await request.get(`/api/trpc/${path}${qs}`);
	const body = (await res.json()) as { result?: { data: T }; error?: { message: string } };
	if (!res.ok() || !body.result) throw new Error(`${path} → ${res.status()}: ${body.error?.message ?? JSON.stringify(body)}`);
	return body.result.data;
}

/** An API-only client of one user (its own cookie jar), e.g. a delegate checking in from a phone. */
export async function apiUser(playwright: Playwright, username: string): Promise<APIRequestContext> {
	const request = await playwright.request.newContext({ baseURL: baseURL() });
	await apiLogin(request, username);
	return request;
}

export interface UserPage {
	context: BrowserContext;
	page: Page;
	request: APIRequestContext;
	username: string;
	fullName: string;
}

/** A separate browser context (its own cookies) signed in as `username`. */
export async function userPage(browser: Browser, username: string): Promise<UserPage> {
	const context = await browser.newContext({ baseURL: baseURL(), locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
	await apiLogin(context.request, username);
	const me = await query<{ fullName: string }>(context.request, 'auth.me');
	const page = await context.newPage();
	return { context, page, request: context.request, username, fullName: me.fullName };
}

export async function councilIdOf(request: APIRequestContext, code: string): Promise<string> {
	const councils = await query<{ id: string; code: string }[]>(request, 'council.list');
	const found = councils.find((c) => c.code === code);
	if (!found) throw new Error(`no council ${code}`);
	return found.id;
}

export function delegateNames(from: number, to: number, code = COUNCIL): string[] {
	return Array.from({ length: to - from + 1 }, (_, i) => `delegate.${code}.${from + i}`);
}
