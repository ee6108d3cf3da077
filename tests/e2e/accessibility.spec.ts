import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { COUNCIL, apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issue 23, "For everyone": axe-core's WCAG 2.1 A and AA rules on the pages people work in — sign-in, home, the
// delegate's sitting page with a vote open, the chair's and the secretary's consoles, the hall display, the city
// monitor and the public verification page. No serious or critical violation; minor and moderate ones are
// reported by axe but judged case by case, not gated here.

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** The serious and critical violations on the page as it stands, one line each: impact, rule id, target. */
async function seriousViolations(page: Page): Promise<string[]> {
	const { violations } = await new AxeBuilder({ page }).withTags(TAGS).analyze();
	return violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')} — ${v.help}`));
}

async function expectAccessible(page: Page, what: string) {
	// Checked once the page is hydrated, so the state people see (menus, live counts) is what axe sees.
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	expect(await seriousViolations(page), what).toEqual([]);
}

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

test('the public pages have no serious or critical WCAG 2.1 A/AA violation', async ({ page }) => {
	await page.goto('/login');
	await expectAccessible(page, 'login');
	await page.goto('/verify');
	await expectAccessible(page, 'verify');
});

test('the signed-in pages of a sitting have no serious or critical WCAG 2.1 A/AA violation', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, {
		title: `Kỳ họp kiểm tra trợ năng ${Date.now().toString(36)}`,
		items: ['Tờ trình về kế hoạch đầu tư công năm 2027', 'Báo cáo công tác quý IV'],
		convene: true
	});
	const delegates = await checkInViaApi(playwright, sittingId, delegateNames(2, 21));
	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await mutate(delegate.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua kế hoạch đầu tư công năm 2027', kind: 'open', rule: 'majority' });

	await delegate.page.goto('/');
	await expectAccessible(delegate.page, 'home (delegate)');
	await delegate.page.goto(`/sittings/${sittingId}`);
	await live(delegate.page);
	await expect(delegate.page.getByTestId('vote-question')).toBeVisible();
	await expectAccessible(delegate.page, 'delegate sitting page, vote open');

	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await live(chair.page);
	await expectAccessible(chair.page, 'chair console, vote open');

	const secretary = await userPage(browser, `secretary.${COUNCIL}`);
	await secretary.page.goto(`/sittings/${sittingId}/secretary`);
	await expectAccessible(secretary.page, 'secretary console');
	await secretary.page.goto(`/sittings/${sittingId}/display`);
	await live(secretary.page);
	await expectAccessible(secretary.page, 'hall display, vote open');

	const monitor = await userPage(browser, 'monitor.city');
	await monitor.page.goto('/monitor');
	await expect(monitor.page.getByTestId('monitor-connection')).toContainText('Trực tiếp');
	await expectAccessible(monitor.page, 'city monitor');

	// The result in the chair's vote card after the close, with the line that tells the two "không" counts apart.
	await mutate(chairApi, 'vote.close', { voteId: await openVoteId(chairApi, sittingId) });
	await expect(chair.page.getByTestId('abstain-note')).toHaveText('“Không biểu quyết”: có mặt, đã bấm chọn không tán thành cũng không phản đối. “Không tham gia biểu quyết”: có mặt nhưng không gửi phiếu.');
	await expectAccessible(chair.page, 'chair console, result held');

	for (const u of [delegate, chair, secretary, monitor]) await u.context.close();
	// The ward is idle again for the specs after this one (the city monitor expects it so).
	await mutate(chairApi, 'sitting.close', { sittingId });
	for (const d of [chairApi, ...delegates]) await d.dispose();
});
