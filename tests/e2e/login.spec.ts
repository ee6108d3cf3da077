import { expect, test } from '@playwright/test';

test('a new user signs in in Vietnamese and sees their council', async ({ page }) => {
	await page.goto('/');
	await expect(page).toHaveURL(/\/login/);
	await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();

	await page.getByLabel('Tên đăng nhập').fill('delegate.26743.1');
	await page.getByLabel('Mật khẩu').fill('sai-mat-khau');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('alert')).toContainText('Tên đăng nhập hoặc mật khẩu không đúng.');

	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
	const myCouncils = page.getByTestId('my-councils');
	await expect(myCouncils).toContainText('HĐND Phường Bến Thành');
	await expect(myCouncils).toContainText('Đại biểu');

	await myCouncils.getByRole('link', { name: 'HĐND Phường Bến Thành' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hội đồng nhân dân Phường Bến Thành');
	await expect(page.getByRole('heading', { name: /Đại biểu \(30\)/ })).toBeVisible();
});

test('the interface switches to English and back', async ({ page }) => {
	await page.goto('/login');
	await page.getByRole('button', { name: /English/ }).click();
	await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
	await expect(page.locator('html')).toHaveAttribute('lang', 'en');
	await page.getByRole('button', { name: /Tiếng Việt/ }).click();
	await expect(page.getByRole('heading', { name: 'Đăng nhập' })).toBeVisible();
});

test('a delegate cannot open the administration page', async ({ page }) => {
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill('delegate.26743.2');
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
	await page.goto('/admin');
	await expect(page.getByText('Bạn không có quyền thực hiện thao tác này.')).toBeVisible();
});

test('the menu offers video conferences to organisers and the site kiosk to a site operator, and not to a delegate', async ({ page }) => {
	const menu = page.getByRole('navigation', { name: 'Trình đơn' });
	for (const [username, conferences, site] of [
		['chair.26743', 1, 0],
		['site.26743', 0, 1],
		['delegate.26743.3', 0, 0]
	] as const) {
		await page.context().clearCookies();
		await page.goto('/login');
		await page.getByLabel('Tên đăng nhập').fill(username);
		await page.getByLabel('Mật khẩu').fill('demo');
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
		await expect(menu.getByRole('link', { name: 'Hội nghị trực tuyến' })).toHaveCount(conferences);
		await expect(menu.getByRole('link', { name: 'Điểm cầu' })).toHaveCount(site);
	}
});

test('on a phone the page links fold behind a menu button with large targets', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 740 });
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill('delegate.26743.4');
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
	const toggle = page.getByRole('button', { name: 'Trình đơn' });
	const councils = page.getByRole('navigation', { name: 'Trình đơn' }).getByRole('link', { name: 'Hội đồng' });
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(councils).toBeHidden();
	await toggle.click();
	await expect(toggle).toHaveAttribute('aria-expanded', 'true');
	await expect(councils).toBeVisible();
	expect((await councils.boundingBox())!.height).toBeGreaterThanOrEqual(44);
	// The page does not scroll sideways with the menu open.
	expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
	await councils.click();
	await expect(page).toHaveURL(/\/councils$/);
	await expect(toggle).toHaveAttribute('aria-expanded', 'false');
	await expect(councils).toBeHidden();
});
