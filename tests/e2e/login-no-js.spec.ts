import { expect, test, type Browser, type Page } from '@playwright/test';
import { PASSWORD } from './helpers/session';

// The login form works in a browser that runs no script: it posts to the page's form action, which logs in through
// the auth.login procedure itself (same limits, same session cookie) and redirects.

async function noScriptPage(browser: Browser): Promise<Page> {
	const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled: false, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
	return context.newPage();
}

/** Submits the form and answers the status of the form's POST (the document's own request, no script). */
async function submit(page: Page, username: string, password: string): Promise<number> {
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(password);
	const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/login'), page.getByRole('button', { name: 'Đăng nhập' }).click()]);
	return response.status();
}

const alert = (page: Page) => page.getByRole('alert');

test('without JavaScript: a wrong password is refused in Vietnamese, the right one lands on home signed in', async ({ browser }) => {
	const page = await noScriptPage(browser);
	await page.goto('/');
	await expect(page).toHaveURL('/login?next=%2F');
	// No script ran: the layout marks a hydrated page.
	await expect(page.locator('html')).not.toHaveAttribute('data-hydrated', 'true');

	// Nothing typed: the form says what is missing (the button is not held disabled without a script).
	await expect(page.getByRole('button', { name: 'Đăng nhập' })).toBeEnabled();
	expect(await submit(page, '', '')).toBe(400);
	await expect(alert(page)).toHaveText('Vui lòng nhập tên đăng nhập và mật khẩu.');

	expect(await submit(page, 'delegate.26743.5', 'sai-mat-khau')).toBe(400);
	await expect(alert(page)).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
	await expect(page).toHaveURL(/\/login/);
	// The username stays in the form; the password is never sent back.
	await expect(page.getByLabel('Tên đăng nhập')).toHaveValue('delegate.26743.5');
	await expect(page.getByLabel('Mật khẩu')).toHaveValue('');
	expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: 'nts_session' }));

	expect(await submit(page, 'delegate.26743.5', PASSWORD)).toBe(303);
	await expect(page).toHaveURL('/');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^Xin chào, \S/);
	await expect(page.getByTestId('my-councils')).toContainText('HĐND Phường Bến Thành');
	const session = (await page.context().cookies()).find((c) => c.name === 'nts_session');
	expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
	await page.context().close();
});

test('without JavaScript: the login goes on to a path of ours from `next`, never to another site', async ({ browser }) => {
	const page = await noScriptPage(browser);
	await page.goto('/login?next=%2Fcouncils%3Fq%3D1');
	expect(await submit(page, 'delegate.26743.6', PASSWORD)).toBe(303);
	await expect(page).toHaveURL('/councils?q=1');
	await page.context().clearCookies();
	await page.goto('/login?next=/%5Cevil.example/x');
	expect(await submit(page, 'delegate.26743.6', PASSWORD)).toBe(303);
	await expect(page).toHaveURL('/');
	await page.context().close();
});

test('the form and the API count failures together: the limit the API reached refuses the form (429)', async ({ browser, playwright }) => {
	// An account of its own: the limit blocks it from this address for 15 minutes.
	const username = 'delegate.27316.1';
	const api = await playwright.request.newContext({ baseURL: test.info().project.use.baseURL });
	for (let i = 0; i < 4; i++) {
		const res = await api.post('/api/trpc/auth.login', { data: { username, password: `sai-${i}` } });
		expect(res.status()).toBe(401);
	}
	await api.dispose();

	const page = await noScriptPage(browser);
	await page.goto('/login');
	expect(await submit(page, username, 'sai-4')).toBe(400);
	await expect(alert(page)).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
	// The sixth attempt, even with the right password: refused by the limit, in Vietnamese.
	expect(await submit(page, username, PASSWORD)).toBe(429);
	await expect(alert(page)).toHaveText('Đăng nhập sai nhiều lần vào tài khoản này từ địa chỉ này. Vui lòng thử lại sau 15 phút.');
	await expect(page).toHaveURL(/\/login/);
	await page.context().close();
});
