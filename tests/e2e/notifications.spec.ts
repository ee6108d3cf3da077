import { expect, test } from '@playwright/test';
import { apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';

const WARD = '27139'; // Phường Xuân Hòa

test('a delegate is told live when their sitting is convened and when a vote opens, and marks it read', async ({ browser, playwright }) => {
	const delegate = await userPage(browser, `delegate.${WARD}.1`);
	const { page } = delegate;
	await page.goto('/');
	const bell = page.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ });
	await expect(bell).toHaveAttribute('data-live', 'true'); // its stream is open
	await expect(bell).toHaveAccessibleName('Thông báo: 0 chưa đọc');

	// The chair convenes a sitting: the bell counts it at once and a notice appears, without a reload.
	const chair = await apiUser(playwright, `chair.${WARD}`);
	const { sittingId, items } = await prepareSitting(chair, { title: 'Kỳ họp thứ 4 HĐND phường Xuân Hòa', items: ['Tờ trình chỉnh trang chợ'], convene: true, code: WARD });
	await expect(bell).toHaveAccessibleName('Thông báo: 1 chưa đọc');
	await expect(page.getByRole('status').filter({ hasText: 'Triệu tập kỳ họp' })).toContainText('Kỳ họp thứ 4 HĐND phường Xuân Hòa');

	// The notifications page: what, when and where, read with one press.
	await bell.click();
	await page.getByRole('region', { name: 'Thông báo' }).getByRole('link', { name: 'Xem tất cả' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Thông báo');
	await expect(page.getByText('1 chưa đọc')).toBeVisible();
	const notice = page.getByRole('listitem').filter({ hasText: 'Kỳ họp thứ 4 HĐND phường Xuân Hòa' });
	await expect(notice).toContainText(/Triệu tập kỳ họp · .*\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
	await expect(notice).toContainText(/khai mạc lúc \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}\. Địa điểm: Hội trường UBND phường\./);
	await notice.getByRole('button', { name: 'Đã đọc' }).click();
	await expect(page.getByText('0 chưa đọc')).toBeVisible();
	await expect(notice.getByRole('button', { name: 'Đã đọc' })).toHaveCount(0);
	await expect(bell).toHaveAccessibleName('Thông báo: 0 chưa đọc');

	// The sitting opens and the chair opens a vote: the bell tells the delegate while they are on another page.
	const present = await checkInViaApi(playwright, sittingId, delegateNames(1, 20, WARD));
	await mutate(chair, 'sitting.start', { sittingId });
	await mutate(chair, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	await mutate(chair, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua tờ trình chỉnh trang chợ Xuân Hòa?', kind: 'open' });
	await expect(bell).toHaveAccessibleName('Thông báo: 1 chưa đọc');
	await expect(page.getByTestId('unread-count')).toHaveText('1');

	await bell.click();
	const panel = page.getByRole('region', { name: 'Thông báo' });
	const vote = panel.getByRole('listitem').filter({ hasText: 'Mở biểu quyết' });
	await expect(vote).toContainText('Thông qua tờ trình chỉnh trang chợ Xuân Hòa?');
	await panel.getByRole('button', { name: 'Đánh dấu đã đọc tất cả' }).click();
	await expect(bell).toHaveAccessibleName('Thông báo: 0 chưa đọc');
	await expect(page.getByTestId('unread-count')).toHaveCount(0);

	// Its link leads to the sitting, where the vote is waiting.
	await vote.getByRole('link', { name: 'Thông qua tờ trình chỉnh trang chợ Xuân Hòa?' }).click();
	await expect(page).toHaveURL(new RegExp(`/sittings/${sittingId}$`));
	await expect(page.getByTestId('vote-question')).toHaveText('Thông qua tờ trình chỉnh trang chợ Xuân Hòa?');

	// Both stay listed, read.
	await page.goto('/notifications');
	await expect(page.getByText('0 chưa đọc')).toBeVisible();
	await expect(page.getByRole('listitem').filter({ hasText: 'Xuân Hòa' })).toHaveCount(2);
	await expect(page.getByRole('button', { name: 'Đã đọc' })).toHaveCount(0);

	for (const r of [chair, ...present]) await r.dispose();
	await delegate.context.close();
});
