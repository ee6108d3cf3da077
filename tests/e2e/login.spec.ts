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
