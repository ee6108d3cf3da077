import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { apiUser, councilIdOf, mutate, userPage } from './helpers/session';

const WARD = '26737'; // Phường Tân Định

/** This month in Vietnam time, as the charts label it (MM/yyyy). */
function thisMonth(): string {
	const [{ value: month }, , { value: year }] = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', month: '2-digit', year: 'numeric' }).formatToParts(new Date());
	return `${month}/${year}`;
}

test('the drill-down draws its monthly charts on the server, keeps the figures as tables and exports CSV', async ({ browser, playwright }) => {
	// This month: two sittings and one petition in the ward.
	const chair = await apiUser(playwright, `chair.${WARD}`);
	const councilId = await councilIdOf(chair, WARD);
	for (const title of ['Kỳ họp chuyên đề về trật tự đô thị', 'Kỳ họp chuyên đề về y tế']) {
		await mutate(chair, 'sitting.create', { councilId, kind: 'thematic', title, startsAt: new Date().toISOString() });
	}
	await mutate(chair, 'petition.create', { councilId, topic: 'Cây xanh', area: 'Khu phố 2', text: 'Cắt tỉa cây trước mùa mưa bão' });
	await chair.dispose();

	const monitor = await userPage(browser, 'monitor.city');
	const month = thisMonth();

	// The server's HTML already holds the charts (no script needed to see them).
	const html = await (await monitor.request.get(`/monitor/${councilId}`)).text();
	// Two figures have data (sittings, petitions); the four others say so instead of drawing twelve zeros.
	expect(html.match(/<svg[^>]*class="lc-layout-svg[^"]*"[^>]*role="img"/g) ?? []).toHaveLength(2);
	expect(html.match(/data-testid="chart-empty"/g) ?? []).toHaveLength(4);
	expect(html).toContain('aria-label="Biểu đồ cột: Kỳ họp theo tháng, 12 tháng gần nhất, tổng cộng 2"');

	const { page } = monitor;
	await page.goto(`/monitor/${councilId}`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Phường Tân Định');
	const charts = page.getByTestId('monthly-chart');
	await expect(charts).toHaveCount(6);
	const sittings = charts.filter({ has: page.getByText('Kỳ họp', { exact: true }) });
	const image = sittings.getByRole('img', { name: 'Biểu đồ cột: Kỳ họp theo tháng, 12 tháng gần nhất, tổng cộng 2' });
	await expect(image).toBeVisible();
	// Twelve bars drawn by LayerChart, the months beside them and the values as text, not by colour alone.
	await expect(image.locator('rect.lc-bar')).toHaveCount(12);
	await expect(image.locator('.lc-axis-tick-label').last()).toHaveText(month);
	await expect(image.locator('.lc-labels-text').last()).toHaveText('2');
	const petitions = charts.filter({ has: page.getByText('Kiến nghị nhận', { exact: true }) });
	await expect(petitions.locator('svg.lc-layout-svg[role=img]')).toHaveAttribute('aria-label', 'Biểu đồ cột: Kiến nghị nhận theo tháng, 12 tháng gần nhất, tổng cộng 1');

	// The same figures as a table for screen readers.
	const table = sittings.getByRole('table', { name: 'Kỳ họp' });
	await expect(table.getByRole('row')).toHaveCount(13);
	await expect(table.getByRole('row', { name: `${month} 2` })).toHaveCount(1);
	await expect(page.getByRole('cell', { name: 'Kỳ họp chuyên đề về y tế' })).toBeVisible();

	// On a phone the charts fit the screen: nothing sticks out sideways.
	await page.setViewportSize({ width: 360, height: 740 });
	const box = await image.boundingBox();
	expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

	// CSV export: the monthly figures under their header, then the sittings.
	const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải CSV' }).click()]);
	expect(download.suggestedFilename()).toBe(`hdnd-${WARD}.csv`);
	const csv = await readFile(await download.path(), 'utf8');
	const lines = csv.replace(/^\ufeff/, '').split('\r\n');
	expect(csv.charCodeAt(0)).toBe(0xfeff); // so spreadsheet programs read it as UTF-8
	expect(lines[0]).toBe('Hội đồng,Phường Tân Định');
	expect(lines[2]).toBe('Tháng,Kỳ họp,Lượt biểu quyết,Nghị quyết thông qua,Nhiệm vụ đến hạn,Nhiệm vụ hoàn thành,Kiến nghị nhận');
	const [mm, yyyy] = month.split('/');
	expect(lines).toContain(`${yyyy}-${mm},2,0,0,0,0,1`);

	await monitor.context.close();
});
