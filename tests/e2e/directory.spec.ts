import { expect, test, type Page } from '@playwright/test';
import { holdAppScript } from './helpers/hold-script';
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
	// The council filter offers what the search can reach: "all" and the delegate's own council, not 169.
	expect(await page.getByLabel('Hội đồng').locator('option').allTextContents()).toEqual(['Tất cả', 'Phường Bến Thành']);
	await search(page, 'ben thanh');
	expect(new Set(await councilsOf(page))).toEqual(new Set(['Phường Bến Thành']));
	await search(page, 'thu dau mot');
	await expect(page.getByText('Không tìm thấy ai.')).toBeVisible();
	await expect(page.locator('tbody tr')).toHaveCount(0);
	await delegate.context.close();
});

test('on a 390 px phone each person is a card, with no sideways scrolling and no empty contact column', async ({ browser }) => {
	const delegate = await userPage(browser, 'delegate.26743.4');
	const { page } = delegate;
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/directory');
	await search(page, 'ben thanh');
	const chair = page.getByRole('row').filter({ hasText: 'chair.26743' });
	// A card: the cells stack, each under its column's name, so the card is taller than it is a row of cells.
	const cells = await chair.getByRole('cell').evaluateAll((tds) => tds.map((td) => ({ label: getComputedStyle(td, '::before').content, top: td.getBoundingClientRect().top })));
	expect(cells.map((c) => c.label)).toEqual(['"Họ và tên"', '"Vai trò"', '"Hội đồng"']);
	expect(cells[1].top).toBeGreaterThan(cells[0].top);
	expect(cells[2].top).toBeGreaterThan(cells[1].top);
	// The demo people have no e-mail or phone: no column stays empty.
	await expect(page.getByRole('columnheader', { name: 'Liên hệ' })).toHaveCount(0);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await delegate.context.close();
});

test('what is typed before the page’s script runs survives hydration', async ({ browser }) => {
	const delegate = await userPage(browser, 'delegate.26743.4');
	const { page } = delegate;
	// The app's script is held back until the search box is filled, as on a slow phone network.
	const release = await holdAppScript(page);
	await page.goto('/directory', { waitUntil: 'domcontentloaded' });
	const box = page.getByLabel('Tìm theo tên hoặc đơn vị (không cần dấu)');
	await box.fill('ben thanh');
	release();
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	await expect(box).toHaveValue('ben thanh');
	await delegate.context.close();
});
