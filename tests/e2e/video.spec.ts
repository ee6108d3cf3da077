import { expect, request as playwrightRequest, test, type APIRequestContext, type Page } from '@playwright/test';
import { FakeLiveKitServer } from '../../media/testing/fake-livekit-server';
import { VIDEO_E2E } from './video-env';

// The app runs with LIVEKIT_URL pointing at VIDEO_E2E.port (playwright.config.ts). The first test starts a
// fake LiveKit there and checks the browser opened its signalling socket with a valid token; the second
// stops it and checks the page says video cannot connect while the sitting's voting works as ever.
test.describe.configure({ mode: 'serial' });

let fake: FakeLiveKitServer | null = null;
let conferenceUrl = '';

test.afterAll(async () => {
	await fake?.close();
	fake = null;
});

async function login(page: Page, username: string) {
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
}

test('the city chair creates a conference, sees all 168 sites paged, and joins LiveKit with a valid token', async ({ page, baseURL }) => {
	fake = await FakeLiveKitServer.start({ apiKey: VIDEO_E2E.apiKey, apiSecret: VIDEO_E2E.apiSecret, port: VIDEO_E2E.port, rtc: 'hold' });
	await login(page, 'chair.city');
	await page.goto('/conferences');
	await page.getByLabel('Tên hội nghị').fill('Hội nghị trực tuyến toàn thành phố');
	await expect(page.getByText('Mời tất cả 168 điểm cầu phường, xã, đặc khu')).toBeVisible();
	await page.getByRole('button', { name: 'Tạo hội nghị trực tuyến' }).click();
	await expect(page).toHaveURL(/\/conferences\/[0-9a-f-]{36}$/);
	conferenceUrl = new URL(page.url()).pathname;
	const conferenceId = conferenceUrl.split('/').at(-1)!;

	// The console: every invited site, 24 per page.
	const console = page.getByRole('region', { name: 'Các điểm cầu' });
	await expect(console.getByText('0/168 điểm cầu trực tuyến')).toBeVisible();
	await expect(console.locator('tbody tr')).toHaveCount(24);
	await expect(console.getByText('Trang 1/7')).toBeVisible();
	await console.getByRole('button', { name: 'Trang sau' }).click();
	await expect(console.getByText('Trang 2/7')).toBeVisible();
	await console.getByRole('checkbox', { name: 'Chỉ hiện điểm cầu có sự cố' }).check();
	await expect(console.getByText('Trang 1/7')).toBeVisible(); // all offline: all are problems

	// The browser asked our server for a token and opened LiveKit's signalling socket with it.
	await expect
		.poll(() => fake!.rtcConnections.filter((c) => c.kind === 'websocket' && c.valid).length, { timeout: 20_000 })
		.toBeGreaterThan(0);
	const join = fake.rtcConnections.find((c) => c.kind === 'websocket' && c.valid)!;
	expect(join.claims?.video).toMatchObject({ room: `conference-${conferenceId}`, roomJoin: true, roomAdmin: true, canPublish: true });
	const me = (await (await page.request.get(`${baseURL}/api/trpc/auth.me`)).json()) as { result: { data: { id: string } } };
	expect(join.claims?.sub).toBe(me.result.data.id);
	expect((join.claims?.exp ?? 0) * 1000 - Date.now()).toBeLessThanOrEqual(6 * 3600 * 1000);
	// and the conference room was created ahead with the server's own credentials
	expect(fake.requestsFor('CreateRoom').map((r) => r.body.name)).toContain(`conference-${conferenceId}`);
});

// tRPC over plain HTTP, as any API client would call it.
type Api = APIRequestContext & { call: <T>(name: string, input?: unknown) => Promise<T>; query: <T>(name: string) => Promise<T> };

async function api(username: string, baseURL: string): Promise<Api> {
	const ctx = await playwrightRequest.newContext({ baseURL });
	const res = await ctx.post('/api/trpc/auth.login', { data: { username, password: 'demo' } });
	expect(res.ok(), `login ${username}`).toBeTruthy();
	const call = async <T>(name: string, input?: unknown): Promise<T> => {
		const r = await ctx.post(`/api/trpc/${name}`, { data: input ?? {} });
		const body = (await r.json()) as { result?: { data: T }; error?: { message: string } };
		if (!r.ok()) throw new Error(`${name}: ${body.error?.message ?? r.status()}`);
		return body.result!.data;
	};
	const query = async <T>(name: string): Promise<T> => ((await (await ctx.get(`/api/trpc/${name}`)).json()) as { result: { data: T } }).result.data;
	return Object.assign(ctx, { call, query });
}

test('with LiveKit unreachable the page says so clearly, and the sitting’s floor and voting still work', async ({ page, baseURL }) => {
	await fake?.close();
	fake = null;
	await login(page, 'chair.city');
	await page.goto(conferenceUrl || '/conferences');
	await expect(page.getByText('Không kết nối được máy chủ truyền hình trực tuyến', { exact: false })).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText('Không kết nối được truyền hình')).toBeVisible();
	await expect(page.getByRole('region', { name: 'Các điểm cầu' }).getByText('0/168 điểm cầu trực tuyến')).toBeVisible();

	// A ward sitting runs to a vote while video is down.
	const chair = await api('chair.26743', baseURL!);
	const me = await chair.query<{ councils: { councilId: string; councilCode: string }[] }>('auth.me');
	const councilId = me.councils.find((c) => c.councilCode === '26743')!.councilId;
	const { sittingId } = await chair.call<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp thử video', startsAt: new Date().toISOString(), hybrid: true });
	const { itemId } = await chair.call<{ itemId: string }>('sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình' });
	await chair.call('sitting.convene', { sittingId });
	const delegates = [];
	for (let i = 1; i <= 20; i++) {
		const d = await api(`delegate.26743.${i}`, baseURL!);
		await d.call('attendance.checkIn', { sittingId, mode: 'remote' });
		delegates.push(d);
	}
	await chair.call('sitting.start', { sittingId });
	await chair.call('sitting.setCurrentItem', { sittingId, itemId });

	// floor control still works (the video side logs its failure and carries on)
	const { requestId } = await delegates[0].call<{ requestId: string }>('floor.request', { sittingId, kind: 'speech' });
	const granted = await chair.call<{ floor: { speaker: { requestId: string } | null } }>('floor.grant', { requestId });
	expect(granted.floor.speaker?.requestId).toBe(requestId);
	await chair.call('floor.end', { sittingId });

	const { voteId } = await chair.call<{ voteId: string }>('vote.open', { sittingId, itemId, question: 'Thông qua tờ trình', kind: 'open' });
	for (const d of delegates.slice(0, 15)) await d.call('vote.cast', { voteId, choice: 'yes' });
	const closed = await chair.call<Record<string, unknown>>('vote.close', { voteId });
	expect(JSON.stringify(closed)).toContain('15');
	for (const ctx of [chair, ...delegates]) await ctx.dispose();
});
