import { expect, test, type Locator, type Page } from '@playwright/test';
import { apiUser, councilIdOf, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issue 23, "the city's view": the monitor is a glance. A ward far down the map (the last former province) opens a
// vote: its tile is on the first screen at once, with the count against the delegates present (the ward screens'
// rule); the "Đang biểu quyết" figure filters; the keyboard reaches the tile and Enter opens the drill-down, which
// follows the vote live.

const WARD = '26656'; // Xã Bình Châu (former Bà Rịa - Vũng Tàu): among the last tiles of the map
const PRESENT = 20;

/** Whether the element is drawn inside the window without the page having scrolled. */
async function onFirstScreen(page: Page, el: Locator): Promise<boolean> {
	const scrolled = await page.evaluate(() => window.scrollY);
	const box = await el.boundingBox();
	const vp = page.viewportSize()!;
	return scrolled === 0 && !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height;
}

for (const viewport of [
	{ width: 1920, height: 1080 },
	{ width: 1366, height: 768 }
]) {
	test(`at ${viewport.width}×${viewport.height} a ward that opens a vote is on the monitor's first screen, filtered, reached by keyboard`, async ({ browser, playwright }) => {
		const monitor = await userPage(browser, 'monitor.city');
		const { page } = monitor;
		await page.setViewportSize(viewport);
		await page.goto('/monitor');
		await expect(page.getByTestId('monitor-connection')).toContainText('Trực tiếp');
		const live = page.getByTestId('grid-live');
		const grid = page.getByTestId('status-grid');
		// Idle, the ward has its place on the map only.
		await expect(grid.locator(`[data-tile^="area:"][data-testid="tile-${WARD}"]`)).toHaveAttribute('data-status', 'idle');
		await expect(live.getByTestId(`tile-${WARD}`)).toHaveCount(0);
		// The whole width is used (no 1,200 px column) and the city council's row speaks Vietnamese.
		expect((await grid.boundingBox())!.width).toBeGreaterThan(viewport.width - 80);
		await expect(page.getByTestId('monitor-row-city').getByTestId('area')).toHaveText('Cấp thành phố');

		// The ward's chair opens a sitting and a vote; 20 of its 30 delegates are present.
		const chair = await apiUser(playwright, `chair.${WARD}`);
		const { sittingId, items } = await prepareSitting(chair, { title: `Kỳ họp chuyên đề ${Date.now().toString(36)}`, items: ['Tờ trình về quy hoạch khu dân cư ven biển'], convene: true, code: WARD });
		const delegates = await checkInViaApi(playwright, sittingId, delegateNames(1, PRESENT, WARD));
		await mutate(chair, 'sitting.start', { sittingId });
		await mutate(chair, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
		await mutate(chair, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua quy hoạch khu dân cư ven biển', kind: 'open', rule: 'majority' });
		const voteId = await openVoteId(chair, sittingId);

		// Without a reload or a scroll: the tile is among the live councils at the top, with the count and its label.
		const tile = live.getByTestId(`tile-${WARD}`);
		await expect(tile).toHaveAttribute('data-status', 'voting');
		await expect(tile).toContainText('Đang biểu quyết');
		await expect(tile.getByTestId('tile-count')).toHaveText(`Đã biểu quyết: 0/${PRESENT} đại biểu có mặt`);
		await mutate(delegates[0], 'vote.cast', { voteId, choice: 'yes' });
		await expect(tile.getByTestId('tile-count')).toHaveText(`Đã biểu quyết: 1/${PRESENT} đại biểu có mặt`);
		expect(await onFirstScreen(page, tile)).toBe(true);
		await page.screenshot({ path: test.info().outputPath(`monitor-${viewport.width}.png`) });
		// The table uses the same rule, and puts live councils first.
		const row = page.getByTestId(`monitor-row-${WARD}`);
		await expect(row.getByTestId('vote')).toHaveText(`Đã biểu quyết: 1/${PRESENT} đại biểu có mặt`);
		const statuses = await page.locator('tbody tr [data-testid="status"]').allTextContents();
		expect(statuses.indexOf('Không họp')).toBeGreaterThan(statuses.lastIndexOf('Đang biểu quyết'));

		// The "Đang biểu quyết" figure is a filter of the grid and the table; pressed again, everything is back.
		const voting = page.getByTestId('total-voting');
		await expect(voting).toHaveAccessibleName(/Đang biểu quyết$/);
		await expect(voting).toHaveAttribute('aria-pressed', 'false');
		const figure = Number(await voting.locator('strong').textContent());
		expect(figure).toBeGreaterThanOrEqual(1);
		await voting.click();
		await expect(voting).toHaveAttribute('aria-pressed', 'true');
		await expect(page.locator('tbody tr')).toHaveCount(figure);
		await expect(row).toBeVisible();
		expect(new Set(await grid.locator('a[data-tile]').evaluateAll((as) => as.map((a) => a.getAttribute('data-status'))))).toEqual(new Set(['voting']));
		await expect(grid.getByTestId(`tile-${WARD}`)).toHaveCount(1);
		await voting.click();
		await expect(voting).toHaveAttribute('aria-pressed', 'false');
		await expect(page.locator('tbody tr')).toHaveCount(169);

		// Keyboard: one tab stop into the grid, the arrow keys move between tiles, Enter opens the council.
		await page.getByLabel('Sắp xếp').focus();
		await page.keyboard.press('Tab');
		const focused = page.locator('a[data-tile]:focus');
		await expect(focused).toHaveCount(1);
		await expect(grid.locator('a[data-tile][tabindex="0"]')).toHaveCount(1);
		await page.keyboard.press('End');
		await expect(focused).toHaveAttribute('data-tile', /^area:/);
		await page.keyboard.press('Home');
		for (let i = 0; i < 20 && (await focused.getAttribute('data-testid')) !== `tile-${WARD}`; i++) await page.keyboard.press('ArrowRight');
		await expect(tile).toBeFocused();
		await expect(tile).toHaveAttribute('tabindex', '0');
		await expect(grid.locator('a[data-tile][tabindex="0"]')).toHaveCount(1);
		await page.keyboard.press('Enter');
		const councilId = await councilIdOf(chair, WARD);
		await expect(page).toHaveURL(`/monitor/${councilId}`);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xã Bình Châu');

		// The drill-down follows the vote live.
		await expect(page.getByTestId('monitor-connection')).toContainText('Trực tiếp');
		await expect(page.getByTestId('vote')).toHaveText(`Đã biểu quyết: 1/${PRESENT} đại biểu có mặt`);
		await mutate(delegates[1], 'vote.cast', { voteId, choice: 'no' });
		await expect(page.getByTestId('vote')).toHaveText(`Đã biểu quyết: 2/${PRESENT} đại biểu có mặt`);
		await mutate(chair, 'vote.close', { voteId });
		await expect(page.getByTestId('status')).toHaveText('Đang họp');
		await expect(page.getByTestId('vote')).toHaveCount(0);

		// The ward is idle again for the specs after this one.
		await mutate(chair, 'sitting.close', { sittingId });
		await expect(page.getByTestId('status')).toHaveText('Không họp');
		for (const d of [chair, ...delegates]) await d.dispose();
		await monitor.context.close();
	});
}

test('the drill-down says "Chưa có dữ liệu" for a figure with nothing in twelve months, instead of drawing zeros', async ({ browser }) => {
	const monitor = await userPage(browser, 'monitor.city');
	const councilId = await councilIdOf(monitor.request, '26545'); // Xã Long Sơn: no petitions in the demo data
	await monitor.page.goto(`/monitor/${councilId}`);
	const petitions = monitor.page.getByTestId('monthly-chart').filter({ has: monitor.page.getByText('Kiến nghị nhận', { exact: true }) });
	await expect(petitions.getByTestId('chart-empty')).toHaveText('Chưa có dữ liệu');
	await expect(petitions.locator('svg')).toHaveCount(0);
	await monitor.context.close();
});
