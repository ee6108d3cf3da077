import { expect, test, type Page } from '@playwright/test';
import { COUNCIL, apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issue 21, "Phones, tablets": this spec runs in the phone (390×844) and tablet (1024×768) projects as well as on
// the desktop (playwright.config.ts). On the delegate's sitting page with a vote open, the chair's console and the
// hall display: nothing scrolls sideways, and every control on screen can be reached — the control itself is what
// a tap at its centre hits, not something lying over it.

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

/** Page width beyond the viewport, and the on-screen controls whose centre is covered by another element. */
async function layoutProblems(page: Page): Promise<{ overflow: number; covered: string[] }> {
	return page.evaluate(() => {
		const overflow = document.documentElement.scrollWidth - window.innerWidth;
		const covered: string[] = [];
		for (const el of document.querySelectorAll<HTMLElement>('button, a[href], input, select, textarea, [role="button"]')) {
			const r = el.getBoundingClientRect();
			const style = getComputedStyle(el);
			// Not rendered (e.g. inside a closed <details>) or not interactive: nothing to tap.
			if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true }) || style.pointerEvents === 'none') continue;
			const x = r.left + r.width / 2;
			const y = r.top + r.height / 2;
			if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) continue; // off screen: scroll to it
			const hit = document.elementFromPoint(x, y);
			// The skip link sits off screen until focused; a label over its own input is the same control.
			if (!hit || el.contains(hit) || hit.contains(el) || (hit instanceof HTMLLabelElement && hit.control === el)) continue;
			covered.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? el.getAttribute('aria-label') ?? '').trim().slice(0, 40)}" under ${hit.tagName.toLowerCase()}.${[...hit.classList].join('.')}`);
		}
		return { overflow, covered };
	});
}

async function expectUsable(page: Page, what: string) {
	for (const y of [0, 0.5, 1]) {
		await page.evaluate((f) => window.scrollTo(0, f * (document.documentElement.scrollHeight - window.innerHeight)), y);
		expect(await layoutProblems(page), `${what} scrolled to ${y * 100}%`).toEqual({ overflow: 0, covered: [] });
	}
}

test('the delegate, chair and display screens fit the viewport with every control reachable', async ({ browser, playwright }, info) => {
	test.setTimeout(90_000);
	const viewport = info.project.use.viewport!;
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, {
		title: `Kỳ họp bố cục ${info.project.name} ${Date.now().toString(36)}`,
		items: ['Tờ trình về kế hoạch đầu tư công năm 2027', 'Báo cáo công tác quý IV'],
		convene: true
	});
	await checkInViaApi(playwright, sittingId, delegateNames(2, 21));
	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await mutate(delegate.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua kế hoạch đầu tư công năm 2027', kind: 'open', rule: 'majority' });

	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const display = await userPage(browser, `secretary.${COUNCIL}`);
	for (const u of [delegate, chair, display]) await u.page.setViewportSize(viewport);

	await delegate.page.goto(`/sittings/${sittingId}`);
	await live(delegate.page);
	await expect(delegate.page.getByTestId('vote-question')).toBeVisible();
	await expectUsable(delegate.page, `delegate ${viewport.width}×${viewport.height}`);

	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await live(chair.page);
	await expectUsable(chair.page, `chair ${viewport.width}×${viewport.height}`);

	await display.page.goto(`/sittings/${sittingId}/display`);
	await live(display.page);
	await expectUsable(display.page, `display ${viewport.width}×${viewport.height}`);

	for (const u of [delegate, chair, display]) await u.context.close();
	// The ward is idle again for the specs after this one (the city monitor expects it so).
	await mutate(chairApi, 'vote.close', { voteId: await openVoteId(chairApi, sittingId) });
	await mutate(chairApi, 'sitting.close', { sittingId });
	await chairApi.dispose();
});
