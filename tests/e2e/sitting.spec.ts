import { expect, test } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { COUNCIL, OTHER_COUNCIL, apiUser, councilIdOf, delegateNames, userPage } from './helpers/session';
import { checkInViaApi } from './helpers/sitting';

async function smallPdf(): Promise<Buffer> {
	const doc = await PDFDocument.create();
	doc.addPage([595, 842]).drawText('To trinh du thao nghi quyet', { x: 50, y: 780, size: 14 });
	return Buffer.from(await doc.save());
}

/** dd/mm/yyyy in Vietnam time, `days` from now: fixtures move with the calendar (a fixed date becomes past). */
function vnDate(days: number): string {
	const d = new Date(Date.now() + days * 86_400_000 + 7 * 3_600_000);
	return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
}

test('the chair prepares and runs a sitting: quorum, agenda and floor follow live on every screen', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const stamp = Date.now().toString(36);
	const scheduled = vnDate(9);
	const chair = await userPage(browser, 'chair.26743');
	const councilId = await councilIdOf(chair.request, COUNCIL);

	// 1. The chair creates the sitting on the council page (Vietnamese form, dd/mm/yyyy, 24 h).
	await chair.page.goto(`/councils/${councilId}`);
	await chair.page.getByLabel('Loại kỳ họp').selectOption('thematic');
	await chair.page.getByLabel('Tên kỳ họp').fill(`Kỳ họp chuyên đề ${stamp}`);
	await chair.page.getByLabel('Ngày (dd/mm/yyyy)').fill(scheduled);
	await chair.page.getByLabel('Giờ (24 giờ, hh:mm)').fill('14:30');
	await chair.page.getByLabel('Địa điểm').fill('Hội trường UBND phường Bến Thành');
	await chair.page.getByRole('button', { name: 'Tạo kỳ họp' }).click();
	await expect(chair.page).toHaveURL(/\/sittings\/[0-9a-f-]{36}\/secretary$/);
	const sittingId = chair.page.url().split('/').at(-2)!;
	await expect(chair.page.getByRole('heading', { level: 1 })).toContainText(`Kỳ họp chuyên đề ${stamp}`);
	await expect(chair.page.getByText(`${scheduled} 14:30`)).toBeVisible();

	// 2. Agenda: two items added, then reordered with the keyboard (Up button), all before convening.
	const editor = chair.page.getByTestId('agenda-editor');
	for (const title of ['Báo cáo tình hình kinh tế - xã hội', 'Tờ trình dự thảo nghị quyết về ngân sách']) {
		await chair.page.getByLabel('Tên nội dung').fill(title);
		await chair.page.getByRole('button', { name: 'Thêm nội dung' }).click();
		await expect(editor).toContainText(title);
	}
	const up = chair.page.getByRole('button', { name: 'Đưa “Tờ trình dự thảo nghị quyết về ngân sách” lên trên' });
	await up.focus();
	await chair.page.keyboard.press('Enter');
	await expect(editor.locator('li').first()).toContainText('1. Tờ trình dự thảo nghị quyết về ngân sách');
	await expect(editor.locator('li').nth(1)).toContainText('2. Báo cáo tình hình kinh tế - xã hội');

	// 3. A document (PDF checked by content) for delegates.
	await chair.page.getByLabel('Tệp PDF').setInputFiles({ name: 'to-trinh.pdf', mimeType: 'application/pdf', buffer: await smallPdf() });
	await chair.page.getByLabel('Tiêu đề tài liệu').fill('Tờ trình số 12');
	await chair.page.getByRole('button', { name: 'Tải lên' }).click();
	await expect(chair.page.getByTestId('documents')).toContainText('Tờ trình số 12');
	await chair.page.getByLabel('Tệp PDF').setInputFiles({ name: 'gia-mao.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
	await chair.page.getByRole('button', { name: 'Tải lên' }).click();
	await expect(chair.page.getByTestId('upload-error')).toHaveText('Tệp không phải PDF hợp lệ (kiểm tra theo nội dung tệp).');

	// 4. The chair convenes from the console.
	await chair.page.getByRole('navigation', { name: 'Màn hình' }).getByRole('link', { name: 'Điều hành (chủ tọa)' }).click();
	await expect(chair.page).toHaveURL(new RegExp(`/sittings/${sittingId}/chair$`));
	await chair.page.getByRole('button', { name: 'Triệu tập' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đã triệu tập');

	// The hall display (signed in as the secretary) and the chair's console both follow live.
	const display = await userPage(browser, 'secretary.26743');
	await display.page.goto(`/sittings/${sittingId}/display`);
	await expect(display.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
	await expect(chair.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');

	// 5. 17 delegates check in through the API: quorum not yet met (17/30, 20 needed).
	await checkInViaApi(playwright, sittingId, delegateNames(4, 20));
	for (const screen of [chair.page, display.page]) {
		await expect(screen.getByTestId('quorum')).toHaveAttribute('data-met', 'no');
		await expect(screen.getByTestId('quorum-text')).toHaveText(/^\s*⚠\s*Chưa đủ số đại biểu tham dự \(17\/30, cần tối thiểu 20\)/);
	}

	// 6. Three delegates check in on their own screens; the third makes the quorum, without any reload.
	const delegates = await Promise.all(delegateNames(1, 3).map((u) => userPage(browser, u)));
	for (const [i, d] of delegates.entries()) {
		await d.page.goto(`/sittings/${sittingId}`);
		await expect(d.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
		await expect(d.page.getByTestId('documents')).toContainText('Tờ trình số 12');
		const button = i === 2 ? 'Tham dự trực tuyến' : 'Có mặt tại hội trường';
		await d.page.getByRole('button', { name: button }).click();
		await expect(d.page.getByTestId('my-attendance')).toContainText(`Đã điểm danh: ${button}`);
	}
	for (const screen of [chair.page, display.page]) {
		await expect(screen.getByTestId('quorum')).toHaveAttribute('data-met', 'yes');
		await expect(screen.getByTestId('quorum-text')).toHaveText(/^\s*✔\s*Đủ số đại biểu tham dự \(20\/30, cần tối thiểu 20\)/);
	}

	// 7. The chair opens the sitting and moves through the agenda; every screen follows.
	await chair.page.getByRole('button', { name: 'Khai mạc' }).click();
	// It was scheduled nine days ahead, not today: the chair is asked first (issue 23).
	const notToday = chair.page.getByRole('dialog', { name: 'Kỳ họp không được lên lịch hôm nay' });
	await expect(notToday).toContainText(`Kỳ họp được lên lịch ngày ${scheduled} lúc 14:30`);
	await notToday.getByRole('button', { name: 'Vẫn khai mạc hôm nay' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đang họp');
	for (const screen of [display.page, ...delegates.map((d) => d.page)]) await expect(screen.getByTestId('sitting-status')).toContainText('Đang họp');

	await chair.page.getByRole('button', { name: 'Chuyển đến: Tờ trình dự thảo nghị quyết về ngân sách' }).click();
	for (const screen of [display.page, ...delegates.map((d) => d.page)]) {
		await expect(screen.getByTestId('current-item')).toContainText('Nội dung 1: Tờ trình dự thảo nghị quyết về ngân sách');
	}
	await chair.page.getByRole('button', { name: 'Chuyển đến: Báo cáo tình hình kinh tế - xã hội' }).click();
	for (const screen of [display.page, ...delegates.map((d) => d.page)]) {
		await expect(screen.getByTestId('current-item')).toContainText('Nội dung 2: Báo cáo tình hình kinh tế - xã hội');
	}

	// 8. A delegate asks for the floor; the chair gives it; the display shows the speaker and a running timer.
	const speaker = delegates[0];
	await speaker.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
	await expect(speaker.page.getByTestId('my-floor-request')).toContainText('thứ tự 1');
	await expect(chair.page.getByTestId('floor-queue')).toContainText(speaker.fullName);
	await chair.page.getByLabel('Thời gian phát biểu (phút)').fill('2');
	await chair.page.getByRole('button', { name: `Mời phát biểu: ${speaker.fullName}` }).click();
	await expect(display.page.getByTestId('speaker-name')).toHaveText(speaker.fullName);
	const timer = display.page.getByTestId('speaker-timer');
	await expect(timer).toContainText(/Còn lại\s*0[12]:\d\d/);
	const first = await timer.textContent();
	await expect(timer).not.toHaveText(first ?? '', { timeout: 5_000 });
	await expect(speaker.page.getByText('Bạn đang được mời phát biểu.')).toBeVisible();

	// Documents are for readers of their own council only.
	const docLink = delegates[1].page.getByRole('link', { name: 'Tải về: Tờ trình số 12' });
	const href = await docLink.getAttribute('href');
	const own = await delegates[1].request.get(href!);
	expect(own.status()).toBe(200);
	expect(own.headers()['content-type']).toBe('application/pdf');
	expect((await own.body()).subarray(0, 5).toString()).toBe('%PDF-');
	const stranger = await apiUser(playwright, `delegate.${OTHER_COUNCIL}.1`);
	expect((await stranger.get(href!)).status()).toBe(403);

	await Promise.all([chair, display, ...delegates].map((u) => u.context.close()));
});
