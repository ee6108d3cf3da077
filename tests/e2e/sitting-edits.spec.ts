import { expect, test } from '@playwright/test';
import { COUNCIL, apiUser, delegateNames, mutate, query, userPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';

// Issue 23: a typo in an agenda item reached the hall display and could not be fixed. The secretary corrects the
// current item's title in place (in session: with a reason), on a 390 px phone, and the hall display shows the new
// title live; removing another item asks first, and the record holds both changes.

test('the secretary corrects a typo in the current item and the hall display shows it; a removal asks first', async ({ browser, playwright }) => {
	const suffix = Date.now().toString(36);
	const typo = `Tờ trình về kế hoạch đầu tư công trung hạnn ${suffix}`;
	const fixed = `Tờ trình về kế hoạch đầu tư công trung hạn ${suffix}`;
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp sửa chương trình ${suffix}`, items: [typo, `Báo cáo công tác quý IV ${suffix}`], convene: true });
	await checkInViaApi(playwright, sittingId, delegateNames(1, 21));
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

	const display = await userPage(browser, `delegate.${COUNCIL}.1`);
	await display.page.setViewportSize({ width: 1280, height: 720 });
	await display.page.goto(`/sittings/${sittingId}/display`);
	await expect(display.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
	await expect(display.page.getByTestId('current-item')).toContainText(typo);

	const secretary = await userPage(browser, `secretary.${COUNCIL}`);
	await secretary.page.setViewportSize({ width: 390, height: 844 });
	await secretary.page.goto(`/sittings/${sittingId}/secretary`);
	await expect(secretary.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
	const row = secretary.page.getByTestId('agenda-editor').getByRole('listitem').filter({ hasText: typo });
	await row.getByRole('button', { name: `Sửa nội dung: ${typo}` }).click();
	const editor = row.getByTestId('item-editor');
	const title = editor.getByLabel('Tên nội dung');
	await expect(title).toBeFocused();
	await title.fill(fixed);
	// In session a change is a correction: saving waits for its reason.
	const save = editor.getByRole('button', { name: 'Lưu thay đổi' });
	await expect(save).toBeDisabled();
	await editor.getByLabel('Lý do đính chính').fill('Sai chính tả tên tờ trình');
	// The open editor fits the phone's width: nothing of it off screen.
	const box = await editor.boundingBox();
	expect(box && box.x >= 0 && box.x + box.width <= 390, `editor box ${JSON.stringify(box)}`).toBe(true);
	await row.screenshot({ path: test.info().outputPath('item-editor-390.png') });
	await save.click();
	await expect(editor).toHaveCount(0);
	await expect(secretary.page.getByRole('button', { name: `Sửa nội dung: ${fixed}` })).toBeFocused();

	// The hall display follows through the sitting's event stream, without a reload.
	await expect(display.page.getByTestId('current-item')).toHaveText(`Nội dung 1: ${fixed}`);


	// The sitting's own title, through the dd/mm/yyyy + 24-hour field: the display's heading follows.
	await secretary.page.getByTestId('edit-sitting').click();
	const details = secretary.page.getByTestId('sitting-editor');
	await expect(details.getByLabel('Ngày (dd/mm/yyyy)')).toHaveValue(/^\d{2}\/\d{2}\/\d{4}$/);
	await expect(details.getByLabel('Giờ (24 giờ, hh:mm)')).toHaveValue(/^\d{2}:\d{2}$/);
	await details.getByLabel('Tên kỳ họp').fill(`Kỳ họp sửa chương trình ${suffix} (đính chính)`);
	await details.getByLabel('Lý do đính chính').fill('Bổ sung tên kỳ họp');
	await details.screenshot({ path: test.info().outputPath('sitting-editor-390.png') });
	await details.getByRole('button', { name: 'Lưu thay đổi' }).click();
	await expect(details).toHaveCount(0);
	await expect(display.page.getByRole('heading', { level: 1 })).toContainText(`Kỳ họp sửa chương trình ${suffix} (đính chính)`);

	// The chair edits from the agenda of their own console too (the same editor).
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.page.setViewportSize({ width: 1024, height: 768 });
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await chair.page.getByRole('button', { name: `Sửa nội dung: ${fixed}` }).click();
	await expect(chair.page.getByTestId('item-editor').getByLabel('Tên nội dung')).toHaveValue(fixed);
	await chair.page.getByTestId('agenda').screenshot({ path: test.info().outputPath('chair-agenda-1024.png') });
	await chair.page.getByTestId('item-editor').getByRole('button', { name: 'Hủy' }).click();
	await expect(chair.page.getByTestId('item-editor')).toHaveCount(0);
	await chair.context.close();

	// Removing the other item: the confirm dialog first, "Không xóa" keeps it.
	const other = secretary.page.getByTestId('agenda-editor').getByRole('listitem').filter({ hasText: items[1].title });
	await other.getByRole('button', { name: `Sửa nội dung: ${items[1].title}` }).click();
	await other.getByLabel('Lý do đính chính').fill('Nội dung chuyển sang kỳ họp sau');
	await other.getByRole('button', { name: `Xóa nội dung: ${items[1].title}` }).click();
	const dialog = secretary.page.getByTestId('confirm-dialog');
	await expect(dialog).toBeVisible();
	await dialog.getByRole('button', { name: 'Không xóa' }).click();
	await expect(other).toHaveCount(1);
	await other.getByRole('button', { name: `Xóa nội dung: ${items[1].title}` }).click();
	await dialog.getByRole('button', { name: 'Xóa', exact: true }).click();
	await expect(secretary.page.getByTestId('agenda-editor').getByRole('listitem')).toHaveCount(1);

	// The server agrees: one item left, with the corrected title (the event record is checked in sitting-edits.test.ts).
	const detail = await query<{ agenda: { id: string; title: string }[] }>(chairApi, 'sitting.get', { sittingId });
	expect(detail.agenda.map((a) => a.title)).toEqual([fixed]);

	await secretary.context.close();
	await display.context.close();
	// The ward is idle again for the specs after this one.
	await mutate(chairApi, 'sitting.close', { sittingId });
	await chairApi.dispose();
});
