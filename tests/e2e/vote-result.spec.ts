import { expect, test, type Locator, type Page } from '@playwright/test';
import { COUNCIL, apiUser, councilIdOf, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issue 23, "Misleads" and "Phones": the close is confirmed with the count; the result takes the vote card's place
// in the first screen of the chair's tablet, a delegate's phone and the hall display; the ballot's confirmation
// takes the focus and says the choice; toasts and the notification panel stay on a phone's screen; a sitting is
// not opened on another day than its own without a warning.

const TABLET = { width: 1024, height: 768 };
const PHONE = { width: 390, height: 844 };
const HALL = { width: 1920, height: 1080 };

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

async function shot(page: Page, name: string) {
	await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
}

/** Each part whole inside the viewport, the test having scrolled nothing (`atTop`: nor has the page). */
async function inView(page: Page, parts: Locator[], atTop: boolean) {
	for (const part of parts) await expect(part).toBeInViewport({ ratio: 1 });
	if (atTop) expect(await page.evaluate(() => [window.scrollX, window.scrollY])).toEqual([0, 0]);
}

/** The text wraps inside its box instead of running out of it (e.g. under or past the close button). */
async function within(inner: Locator, outer: Locator) {
	const [a, b] = [(await inner.boundingBox())!, (await outer.boundingBox())!];
	expect(a.x).toBeGreaterThanOrEqual(b.x);
	expect(a.x + a.width).toBeLessThanOrEqual(b.x + b.width);
}

/** dd/MM/yyyy and HH:mm in Vietnam time, as the app writes them. */
function vn(date: Date): { day: string; time: string } {
	const p = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
			.formatToParts(date)
			.map((x) => [x.type, x.value])
	);
	return { day: `${p.day}/${p.month}/${p.year}`, time: `${p.hour}:${p.minute}` };
}

test('the close asks with the count, and the result takes the vote card’s place on every screen', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, {
		title: `Kỳ họp kết quả biểu quyết ${Date.now().toString(36)}`,
		items: ['Tờ trình về kế hoạch chỉnh trang đô thị phường năm 2027', 'Báo cáo công tác quý IV'],
		convene: true
	});
	// 21 present (the "3/21"): delegate 1 on a phone, delegates 2–21 by API.
	const others = await checkInViaApi(playwright, sittingId, delegateNames(2, 21));
	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await mutate(delegate.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const display = await userPage(browser, `secretary.${COUNCIL}`);
	await chair.page.setViewportSize(TABLET);
	await delegate.page.setViewportSize(PHONE);
	await display.page.setViewportSize(HALL);
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await delegate.page.goto(`/sittings/${sittingId}`);
	await display.page.goto(`/sittings/${sittingId}/display`);
	for (const p of [chair.page, delegate.page, display.page]) await live(p);

	// The bell's stream is open and its count read, so the vote's notice is known to have arrived when it moves.
	const bell = delegate.page.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ });
	await expect(bell).toHaveAttribute('data-live', 'true');
	const unreadBefore = Number((await bell.getAttribute('aria-label'))!.match(/: (\d+) /)![1]);

	const question = 'Thông qua kế hoạch chỉnh trang đô thị phường năm 2027';
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question, kind: 'open', rule: 'majority' });
	const voteId = await openVoteId(chairApi, sittingId);
	await expect(delegate.page.getByTestId('vote-question')).toHaveText(question);
	await shot(delegate.page, 'delegate-390-ballot');
	// The notice came (the bell counts it) but is not toasted over the ballot that already shows it.
	await expect(bell).toHaveAccessibleName(`Thông báo: ${unreadBefore + 1} chưa đọc`);
	await expect(delegate.page.getByTestId('toast')).toHaveCount(0);

	// The delegate votes on the phone; the focus goes to the confirmation, which says the choice.
	await delegate.page.getByRole('button', { name: 'Tán thành', exact: true }).click();
	await delegate.page.getByRole('button', { name: 'Gửi phiếu' }).click();
	const voted = delegate.page.getByTestId('you-voted');
	await expect(voted).toHaveText('✔ Bạn đã biểu quyết: Tán thành.');
	await expect(voted).toBeFocused();
	await shot(delegate.page, 'delegate-390-voted');

	await mutate(others[0], 'vote.cast', { voteId, choice: 'no' });
	await mutate(others[1], 'vote.cast', { voteId, choice: 'abstain' });
	await expect(chair.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 3/21 đại biểu có mặt');

	// Voiding is folded away, not the button under "Kết thúc biểu quyết".
	await expect(chair.page.getByRole('button', { name: 'Hủy biểu quyết' })).toBeHidden();

	// One tap does not close: a dialog says how many present have not voted; Escape keeps the vote open.
	const closeButton = chair.page.getByRole('button', { name: 'Kết thúc biểu quyết', exact: true });
	await closeButton.click();
	const dialog = chair.page.getByRole('dialog', { name: 'Kết thúc biểu quyết?' });
	await expect(dialog).toBeVisible();
	await expect(dialog).toHaveAccessibleDescription('Còn 18 đại biểu có mặt chưa biểu quyết. Kết thúc?');
	await expect(dialog.getByRole('button', { name: 'Không, tiếp tục biểu quyết' })).toBeFocused();
	await shot(chair.page, 'chair-1024-confirm-close');
	await chair.page.keyboard.press('Escape');
	await expect(dialog).toBeHidden();
	await expect(closeButton).toBeFocused();
	await expect(chair.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 3/21 đại biểu có mặt');

	await closeButton.click();
	await dialog.getByRole('button', { name: 'Có, kết thúc biểu quyết' }).click();
	await expect(dialog).toBeHidden();

	// 1 yes of 30 seated: not passed. Counts, rule and verdict (icon and words) in the first screen everywhere.
	for (const p of [chair.page, delegate.page, display.page]) {
		const held = p.getByTestId('held-result');
		await expect(held.getByTestId('verdict')).toHaveText('✘ Không thông qua');
		await expect(held.getByTestId('rule-label')).toHaveText('Quy tắc thông qua: Quá nửa tổng số đại biểu (16/30)');
		await expect(held.getByTestId('count-yes')).toHaveText('1');
		await expect(held.getByTestId('count-no')).toHaveText('1');
		await expect(held.getByTestId('count-abstain')).toHaveText('1');
		await expect(held.getByTestId('count-not-voted')).toHaveText('27');
		// The chair's console and the display are still at their top; the phone is where the focus took it after
		// "Gửi phiếu" (the ballot's confirmation), and the result took the ballot's place there.
		await inView(p, [held.getByTestId('verdict'), held.getByTestId('rule-label'), held.getByTestId('result-counts')], p !== delegate.page);
		await expect(p.getByTestId('vote-result')).toHaveCount(1); // in the vote card's place, not twice
	}
	// The vote's toast, held back while the ballot showed, does not come back now that the ballot is gone.
	await expect(delegate.page.getByTestId('toast')).toHaveCount(0);
	// The chair's focus follows the result that replaced the close button.
	await expect(chair.page.getByRole('heading', { name: 'Kết quả biểu quyết', exact: true })).toBeFocused();
	await shot(chair.page, 'chair-1024-result');
	await shot(delegate.page, 'delegate-390-result');
	await shot(display.page, 'display-1920-result');

	// The chair moves on to the next item: the result leaves the vote card's place on every screen (still listed).
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[1].id });
	for (const p of [chair.page, delegate.page, display.page]) {
		await expect(p.getByTestId('held-result')).toHaveCount(0);
		await expect(p.getByTestId('vote-result').getByTestId('verdict')).toHaveText('✘ Không thông qua');
	}
	await expect(chair.page.getByTestId('open-vote-form')).toBeVisible();

	// Voiding is confirmed too, with what it throws away; the void then holds the vote card's place.
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[1].id, question: 'Thông qua báo cáo quý IV', kind: 'open' });
	await expect(chair.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 0/21 đại biểu có mặt');
	await chair.page.getByText('Hủy biểu quyết do sai sót').click();
	await chair.page.getByLabel('Lý do hủy').fill('Nhầm nội dung');
	await chair.page.getByRole('button', { name: 'Hủy biểu quyết', exact: true }).click();
	const voidDialog = chair.page.getByRole('dialog', { name: 'Hủy biểu quyết?' });
	await expect(voidDialog).toHaveAccessibleDescription('Biểu quyết “Thông qua báo cáo quý IV” sẽ bị hủy; 0 phiếu đã gửi không được tính. Lý do: Nhầm nội dung');
	await voidDialog.getByRole('button', { name: 'Có, hủy biểu quyết' }).click();
	for (const p of [chair.page, delegate.page, display.page]) await expect(p.getByTestId('held-result')).toContainText('Biểu quyết đã bị hủy. Lý do: Nhầm nội dung');
	await expect(chair.page.getByRole('heading', { name: 'Kết quả biểu quyết', exact: true })).toBeFocused();

	for (const r of [chairApi, ...others]) await r.dispose();
	await Promise.all([chair, delegate, display].map((u) => u.context.close()));
});

test('on a 390 px phone the toast wraps with its close button on screen, and the panel stays inside and closes with Escape', async ({ browser, playwright }) => {
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp thông báo ${Date.now().toString(36)}`, items: ['Tờ trình'], convene: true });
	const present = await checkInViaApi(playwright, sittingId, delegateNames(2, 21));
	await mutate(chairApi, 'sitting.start', { sittingId });

	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await delegate.page.setViewportSize(PHONE);
	const { page } = delegate;
	await page.goto('/councils'); // not the sitting page: there the ballot itself says a vote opened
	const bell = page.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ });
	await expect(bell).toHaveAttribute('data-live', 'true');

	// A long question with a long word: it wraps inside the toast instead of pushing "×" off screen.
	const question = 'Biểu quyết thông qua Nghị quyết về việc điều chỉnh, bổ sung kế hoạch đầu tư công trung hạn giai đoạn 2026–2030 (ChỉnhTrangĐôThịPhườngBếnThành)';
	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question, kind: 'open' });
	const toast = page.getByTestId('toast').filter({ hasText: question });
	await expect(toast).toContainText('Mở biểu quyết');
	await expect(toast).toBeInViewport({ ratio: 1 });
	await expect(toast.getByRole('button', { name: 'Đóng' })).toBeInViewport({ ratio: 1 });
	await within(toast.getByRole('link', { name: question }), toast);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
	await shot(page, 'phone-390-toast');
	await toast.getByRole('button', { name: 'Đóng' }).click();
	await expect(toast).toHaveCount(0);

	await bell.click();
	const panel = page.getByRole('region', { name: 'Thông báo' });
	await expect(panel.getByRole('listitem').filter({ hasText: question })).toBeVisible();
	await within(panel.getByRole('link', { name: question }), panel);
	await expect(panel).toBeInViewport({ ratio: 1 });
	const box = (await panel.boundingBox())!;
	expect(box.x).toBeGreaterThanOrEqual(0);
	expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
	await shot(page, 'phone-390-panel');
	await page.keyboard.press('Escape');
	await expect(panel).toHaveCount(0);
	await expect(bell).toBeFocused();
	await expect(bell).toHaveAttribute('aria-expanded', 'false');

	for (const r of [chairApi, ...present]) await r.dispose();
	await delegate.context.close();
});

test('opening a sitting scheduled for another day asks first; one scheduled today opens at once', async ({ browser, playwright }) => {
	test.setTimeout(90_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const councilId = await councilIdOf(chairApi, COUNCIL);
	const present: Awaited<ReturnType<typeof checkInViaApi>> = [];
	/** A convened sitting at `startsAt` (one agenda item) with its quorum (20 of 30) checked in. */
	async function convened(startsAt: Date, title: string) {
		const { sittingId } = await mutate<{ sittingId: string }>(chairApi, 'sitting.create', { councilId, kind: 'regular', title: `${title} ${Date.now().toString(36)}`, startsAt: startsAt.toISOString(), venue: 'Hội trường UBND phường', hybrid: false });
		await mutate(chairApi, 'sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		await mutate(chairApi, 'sitting.convene', { sittingId });
		present.push(...(await checkInViaApi(playwright, sittingId, delegateNames(1, 20))));
		return sittingId;
	}
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.page.setViewportSize(TABLET);
	const start = chair.page.getByRole('button', { name: 'Khai mạc' });

	// Scheduled now: no question (Vietnam's day is the same for a start time of "now").
	const today = await convened(new Date(), 'Kỳ họp hôm nay');
	await chair.page.goto(`/sittings/${today}/chair`);
	await live(chair.page);
	await start.click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đang họp');
	await expect(chair.page.getByRole('dialog')).toHaveCount(0);

	const startsAt = new Date(Date.now() + 7 * 86_400_000); // next week
	const sittingId = await convened(startsAt, 'Kỳ họp tuần sau');
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await live(chair.page);

	await start.click();
	const dialog = chair.page.getByRole('dialog', { name: 'Kỳ họp không được lên lịch hôm nay' });
	const when = vn(startsAt);
	await expect(dialog).toHaveAccessibleDescription(`Kỳ họp được lên lịch ngày ${when.day} lúc ${when.time}; hôm nay là ${vn(new Date()).day}. Vẫn khai mạc?`);
	await expect(dialog.getByRole('button', { name: 'Không khai mạc' })).toBeFocused();
	await shot(chair.page, 'chair-1024-start-warning');
	await dialog.getByRole('button', { name: 'Không khai mạc' }).click();
	await expect(dialog).toBeHidden();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đã triệu tập');

	await start.click();
	await dialog.getByRole('button', { name: 'Vẫn khai mạc hôm nay' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đang họp');

	for (const r of [chairApi, ...present]) await r.dispose();
	await chair.context.close();
});
