import { expect, test, type Page } from '@playwright/test';
import { userPage } from './helpers/session';

async function search(page: Page, q: string) {
	await page.getByLabel('Tìm theo tên hoặc đơn vị (không cần dấu)').fill(q);
	await page.getByRole('search').getByRole('button', { name: 'Tìm theo tên hoặc đơn vị' }).click();
	await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(q).replace(/%20/g, '(\\+|%20)')}`));
}

/** The council cell (third column) of every result row. */
async function councilsOf(page: Page): Promise<string[]> {
	return page.locator('tbody tr td:nth-child(3)').allTextContents();
}

test('the city finds people by their unit without diacritics: Bến Thành, Thủ Dầu Một', async ({ browser }) => {
	const monitor = await userPage(browser, 'monitor.city');
	const { page } = monitor;
	await page.goto('/directory');

	await search(page, 'ben thanh');
	await expect(page.getByRole('columnheader', { name: 'Hội đồng' })).toBeVisible();
	const found = await councilsOf(page);
	await expect(page.getByText(`${found.length} kết quả`)).toBeVisible();
	// Bến Thành's 34 people (chair, secretary, clerk, site operator, 30 delegates) come first.
	expect(found.slice(0, 34)).toEqual(Array(34).fill('Phường Bến Thành'));
	const chair = page.getByRole('row').filter({ hasText: 'chair.26743' });
	await expect(chair).toContainText('Chủ tịch HĐND');
	await expect(page.getByRole('row').filter({ hasText: 'delegate.26743.30' })).toContainText('Phường Bến Thành');

	await search(page, 'thu dau mot');
	const tdm = await councilsOf(page);
	expect(tdm.length).toBeGreaterThanOrEqual(34);
	expect(new Set(tdm)).toEqual(new Set(['Phường Thủ Dầu Một']));
	await expect(page.getByRole('row').filter({ hasText: 'chair.25747' })).toBeVisible();
	await monitor.context.close();
});

test('a ward delegate finds the people of their own council only', async ({ browser }) => {
	const delegate = await userPage(browser, 'delegate.26743.4');
	const { page } = delegate;
	await page.goto('/directory');
	await search(page, 'ben thanh');
	expect(new Set(await councilsOf(page))).toEqual(new Set(['Phường Bến Thành']));
	await search(page, 'thu dau mot');
	await expect(page.getByText('Không tìm thấy ai.')).toBeVisible();
	await expect(page.locator('tbody tr')).toHaveCount(0);
	await delegate.context.close();
});
