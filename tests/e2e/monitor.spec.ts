import { expect, test, type APIRequestContext } from '@playwright/test';

const WARD = '26743'; // Phường Bến Thành, 30 seated delegates

async function login(request: APIRequestContext, username: string) {
	const res = await request.post('/api/trpc/auth.login', { data: { username, password: 'demo' } });
	expect(res.ok()).toBe(true);
}

async function call<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
	const res = await request.post(`/api/trpc/${path}`, { data: input });
	const body = await res.json();
	if (body.error) throw new Error(`${path}: ${body.error.message}`);
	return body.result.data as T;
}

test('the city monitor sees a ward open a vote and its count move, without reloading', async ({ page, playwright, baseURL }) => {
	// The monitor's dashboard.
	await page.goto('/login?next=/monitor');
	await page.getByLabel('Tên đăng nhập').fill('monitor.city');
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Bảng điều hành số');
	await expect(page.getByTestId('monitor-connection')).toContainText('Trực tiếp');
	const rows = page.locator('tbody tr');
	await expect(rows).toHaveCount(169);

	// Search without diacritics narrows to the ward.
	await page.getByLabel('Tìm hội đồng (không cần dấu)').fill('ben thanh');
	await expect(rows).toHaveCount(1);
	const row = page.getByTestId(`monitor-row-${WARD}`);
	await expect(row.getByTestId('status')).toHaveText('Không họp');

	// The ward's chair and delegates act through the API, each in their own session.
	const chair = await playwright.request.newContext({ baseURL });
	await login(chair, `chair.${WARD}`);
	const councils = await (await chair.get('/api/trpc/auth.me')).json();
	const councilId = councils.result.data.councils[0].councilId as string;
	const { sittingId } = await call<{ sittingId: string }>(chair, 'sitting.create', { councilId, kind: 'thematic', title: 'Kỳ họp chuyên đề', startsAt: new Date().toISOString() });
	const { itemId } = await call<{ itemId: string }>(chair, 'sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình về chỉnh trang đô thị' });
	await call(chair, 'sitting.convene', { sittingId });
	await expect(row.getByTestId('status')).toHaveText('Đã triệu tập');

	const delegates: APIRequestContext[] = [];
	for (let i = 1; i <= 20; i++) {
		const d = await playwright.request.newContext({ baseURL });
		await login(d, `delegate.${WARD}.${i}`);
		await call(d, 'attendance.checkIn', { sittingId, mode: 'hall' });
		delegates.push(d);
	}
	await call(chair, 'sitting.start', { sittingId });
	await call(chair, 'sitting.setCurrentItem', { sittingId, itemId });
	await expect(row).toContainText('Tờ trình về chỉnh trang đô thị');
	await expect(row).toContainText('20/30');

	// Counted against the 20 delegates present (the ward screens' rule), not the 30 seated.
	const { voteId } = await call<{ voteId: string }>(chair, 'vote.open', { sittingId, itemId, question: 'Thông qua nghị quyết chỉnh trang đô thị', kind: 'open' });
	await expect(row.getByTestId('status')).toHaveText('Đang biểu quyết');
	await expect(row.getByTestId('vote')).toHaveText('Đã biểu quyết: 0/20 đại biểu có mặt');

	await call(delegates[0], 'vote.cast', { voteId, choice: 'yes' });
	await expect(row.getByTestId('vote')).toHaveText('Đã biểu quyết: 1/20 đại biểu có mặt');
	await call(delegates[1], 'vote.cast', { voteId, choice: 'no' });
	await call(delegates[2], 'vote.cast', { voteId, choice: 'yes' });
	await expect(row.getByTestId('vote')).toHaveText('Đã biểu quyết: 3/20 đại biểu có mặt');

	await call(chair, 'vote.close', { voteId });
	await expect(row.getByTestId('status')).toHaveText('Đang họp');
	// All of it without a reload: the page's search box still holds what was typed.
	await expect(page.getByLabel('Tìm hội đồng (không cần dấu)')).toHaveValue('ben thanh');

	for (const d of [chair, ...delegates]) await d.dispose();
});

test('a ward delegate cannot open the dashboard', async ({ page }) => {
	await page.goto('/login?next=/monitor');
	await page.getByLabel('Tên đăng nhập').fill(`delegate.${WARD}.3`);
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByText('Bạn không có quyền thực hiện thao tác này.')).toBeVisible();
});
