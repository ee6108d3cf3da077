import { expect, test, type Page } from '@playwright/test';
import { apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

/** A sitting in progress on its first item with delegates 1–20 checked in (1–3 from their own browsers). */
async function sittingInProgress(browser: Parameters<typeof userPage>[0], playwright: Parameters<typeof apiUser>[0], title: string) {
	const chairApi = await apiUser(playwright, 'chair.26743');
	const { sittingId, items } = await prepareSitting(chairApi, { title, items: ['Tờ trình về dự toán ngân sách phường năm 2027'], convene: true });
	const others = await checkInViaApi(playwright, sittingId, delegateNames(4, 20));
	const delegates = await Promise.all(delegateNames(1, 3).map((u) => userPage(browser, u)));
	for (const d of delegates) await mutate(d.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	return { chairApi, sittingId, item: items[0], others, delegates };
}

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

test('an open vote: big buttons, a live count on every screen, and the result with its rule everywhere', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const { sittingId, others, delegates } = await sittingInProgress(browser, playwright, `Kỳ họp thường lệ ${Date.now().toString(36)}`);
	const chair = await userPage(browser, 'chair.26743');
	const display = await userPage(browser, 'secretary.26743');
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await display.page.goto(`/sittings/${sittingId}/display`);
	for (const d of delegates) await d.page.goto(`/sittings/${sittingId}`);
	for (const p of [chair.page, display.page, ...delegates.map((d) => d.page)]) await live(p);

	// The chair opens an open vote with the default rule (more than half of ALL seated delegates).
	const form = chair.page.getByTestId('open-vote-form');
	await form.getByLabel('Nội dung biểu quyết').fill('Thông qua dự toán ngân sách phường năm 2027');
	await expect(form.getByLabel('Quy tắc thông qua')).toHaveValue('majority');
	await form.getByRole('button', { name: 'Mở biểu quyết' }).click();
	await expect(chair.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 0/20 đại biểu có mặt');
	for (const d of delegates) await expect(d.page.getByTestId('vote-question')).toHaveText('Thông qua dự toán ngân sách phường năm 2027');

	// Thirteen delegates vote from their phones (API): yes.
	const voteId = await openVoteId(chair.request, sittingId);
	await Promise.all(others.slice(0, 13).map((r) => mutate(r, 'vote.cast', { voteId, choice: 'yes' })));
	for (const p of [chair.page, display.page]) await expect(p.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 13/20 đại biểu có mặt');

	// Three delegates vote with the big buttons and confirm; the count moves on every screen each time.
	const choices = ['Tán thành', 'Tán thành', 'Không tán thành'] as const;
	for (const [i, d] of delegates.entries()) {
		await d.page.getByRole('button', { name: choices[i], exact: true }).click();
		await expect(d.page.getByTestId('confirm')).toContainText(`Bạn chọn: ${choices[i]}. Gửi phiếu?`);
		await d.page.getByRole('button', { name: 'Gửi phiếu' }).click();
		await expect(d.page.getByTestId('you-voted')).toHaveText(`✔ Bạn đã biểu quyết: ${choices[i]}.`);
		const count = `Đã biểu quyết: ${14 + i}/20 đại biểu có mặt`;
		for (const p of [chair.page, display.page, ...delegates.map((x) => x.page)]) await expect(p.getByTestId('vote-count')).toHaveText(count);
	}
	// One vote per delegate: the buttons are gone once voted.
	await expect(delegates[0].page.getByRole('button', { name: 'Tán thành', exact: true })).toHaveCount(0);

	// The chair closes (and confirms: 4 present have not voted); 15 yes of 30 seated is NOT more than half:
	// "Không thông qua", with the rule, everywhere.
	await chair.page.getByRole('button', { name: 'Kết thúc biểu quyết', exact: true }).click();
	const confirmClose = chair.page.getByRole('dialog', { name: 'Kết thúc biểu quyết?' });
	await expect(confirmClose).toHaveAccessibleDescription('Còn 4 đại biểu có mặt chưa biểu quyết. Kết thúc?');
	await confirmClose.getByRole('button', { name: 'Có, kết thúc biểu quyết' }).click();
	for (const p of [chair.page, display.page, ...delegates.map((d) => d.page)]) {
		const result = p.getByTestId('vote-result');
		await expect(result.getByTestId('verdict')).toContainText('Không thông qua');
		await expect(result.getByTestId('rule-label')).toContainText('Quá nửa tổng số đại biểu (16/30)');
		await expect(result.getByTestId('count-yes')).toHaveText('15');
	}
	// For an open vote the chair sees each delegate's choice.
	const list = chair.page.getByTestId('vote-choices');
	await expect(list).toContainText(`${delegates[0].fullName}: Tán thành`);
	await expect(list).toContainText(`${delegates[2].fullName}: Không tán thành`);

	await Promise.all([chair, display, ...delegates].map((u) => u.context.close()));
});

test('a passing vote, then a confidence rating voided with a reason', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const { chairApi, sittingId, item, others, delegates } = await sittingInProgress(browser, playwright, `Kỳ họp bất thường ${Date.now().toString(36)}`);
	const display = await userPage(browser, 'secretary.26743');
	await display.page.goto(`/sittings/${sittingId}/display`);
	const d = delegates[0];
	await d.page.goto(`/sittings/${sittingId}`);
	for (const p of [display.page, d.page]) await live(p);

	// 15 yes by API + 1 from the screen = 16 of 30 seated: more than half, it passes.
	await mutate(chairApi, 'vote.open', { sittingId, itemId: item.id, question: 'Thông qua nghị quyết', kind: 'open', rule: 'majority' });
	let voteId = await openVoteId(chairApi, sittingId);
	await Promise.all(others.slice(0, 15).map((r) => mutate(r, 'vote.cast', { voteId, choice: 'yes' })));
	await d.page.getByRole('button', { name: 'Tán thành', exact: true }).click();
	await d.page.getByRole('button', { name: 'Gửi phiếu' }).click();
	await expect(display.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 16/20 đại biểu có mặt');
	await mutate(chairApi, 'vote.close', { voteId });
	for (const p of [display.page, d.page]) {
		await expect(p.getByTestId('verdict')).toContainText('Thông qua');
		await expect(p.getByTestId('verdict')).not.toContainText('Không');
		await expect(p.getByTestId('rule-label')).toContainText('Quá nửa tổng số đại biểu (16/30)');
	}

	// A confidence rating (open here; the encrypted one: secret-ballot-delegate.spec.ts): one level per person, confirmed.
	await mutate(chairApi, 'vote.open', {
		sittingId,
		itemId: item.id,
		question: 'Lấy phiếu tín nhiệm',
		kind: 'open',
		options: { persons: [{ id: 'p1', name: 'Nguyễn Văn An' }, { id: 'p2', name: 'Trần Thị Bình' }] }
	});
	voteId = await openVoteId(chairApi, sittingId);
	const ballot = d.page.getByTestId('ballot');
	await expect(ballot).toContainText('Biểu quyết công khai');
	await ballot.getByRole('group', { name: 'Nguyễn Văn An' }).getByLabel('Tín nhiệm cao').check();
	await ballot.getByRole('group', { name: 'Trần Thị Bình' }).getByLabel('Tín nhiệm thấp').check();
	await ballot.getByRole('button', { name: 'Xem lại phiếu tín nhiệm' }).click();
	await expect(ballot.getByTestId('confirm')).toContainText('Nguyễn Văn An: Tín nhiệm cao; Trần Thị Bình: Tín nhiệm thấp');
	await ballot.getByRole('button', { name: 'Gửi phiếu' }).click();
	await expect(ballot.getByTestId('you-voted')).toHaveText('✔ Bạn đã biểu quyết: Nguyễn Văn An: Tín nhiệm cao; Trần Thị Bình: Tín nhiệm thấp.');
	await expect(ballot.getByTestId('you-voted')).toBeFocused();
	await expect(display.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 1/20 đại biểu có mặt');

	// The chair voids it with a reason; every screen says so.
	await mutate(chairApi, 'vote.void', { voteId, reason: 'Nhầm danh sách' });
	for (const p of [display.page, d.page]) await expect(p.getByTestId('vote-result')).toContainText('Biểu quyết đã bị hủy. Lý do: Nhầm danh sách');

	await Promise.all([display, ...delegates].map((u) => u.context.close()));
});
