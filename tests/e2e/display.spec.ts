import { expect, test, type Page } from '@playwright/test';
import { COUNCIL, apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issue 23: /display is a projector view — no app header, menu or user name, and a sitting with a vote open fits
// the two common projector sizes without scrolling.

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

test('the hall display is a projector view: no app header, and a sitting with a vote open fits 1920×1080 and 1280×720', async ({ browser, playwright }) => {
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, {
		title: `Kỳ họp màn hình hội trường ${Date.now().toString(36)}`,
		items: ['Tờ trình về kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030 của phường', 'Báo cáo công tác quý IV'],
		convene: true
	});
	await checkInViaApi(playwright, sittingId, delegateNames(1, 21));
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030', kind: 'open', rule: 'majority' });
	const display = await userPage(browser, `secretary.${COUNCIL}`);
	for (const viewport of [
		{ width: 1920, height: 1080 },
		{ width: 1280, height: 720 }
	]) {
		await display.page.setViewportSize(viewport);
		await display.page.goto(`/sittings/${sittingId}/display`);
		await live(display.page);
		await expect(display.page.getByTestId('vote-count')).toBeVisible();
		await expect(display.page.getByRole('navigation')).toHaveCount(0);
		await display.page.screenshot({ path: test.info().outputPath(`display-${viewport.width}.png`), fullPage: true });
		const size = await display.page.evaluate(() => ({ width: document.documentElement.scrollWidth, height: document.documentElement.scrollHeight }));
		expect(size, `${viewport.width}×${viewport.height}`).toEqual(viewport);
	}
	await display.context.close();
	// The ward is idle again for the specs after this one (the city monitor expects it so).
	await mutate(chairApi, 'vote.close', { voteId: await openVoteId(chairApi, sittingId) });
	await mutate(chairApi, 'sitting.close', { sittingId });
	await chairApi.dispose();
});
