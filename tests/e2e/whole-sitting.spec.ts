import { expect, test, type Browser } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { expectFitsScreen, hydrated, personAt, type Person } from './helpers/screen';
import { COUNCIL, query } from './helpers/session';

// Issue 23, "Done when": the whole sitting, draft to sealed resolution, through the pages only — every change is a
// click or a keystroke of the person whose job it is, each in their own browser at their own screen size: the
// secretary at a 1366×768 desk, the chair on a 1024×768 tablet, delegates on 390×844 phones, the hall display at
// 1920×1080, the clerk at a desk, a visitor on a phone. The API is only read, to check what the pages say. At each
// screen that matters, nothing scrolls sideways and no control is off screen or covered (helpers/screen.ts).

/** Today in Vietnam time, as the sitting form takes it (dd/mm/yyyy and hh:mm): the sitting is held the day it is made. */
function vietnamNow(): { date: string; time: string } {
	const d = new Date(Date.now() + 7 * 3_600_000);
	const two = (n: number) => String(n).padStart(2, '0');
	return { date: `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`, time: `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}` };
}

async function submissionPdf(): Promise<Buffer> {
	const doc = await PDFDocument.create();
	doc.addPage([595, 842]).drawText('To trinh ke hoach dau tu cong nam 2027', { x: 50, y: 780, size: 14 });
	return Buffer.from(await doc.save());
}

async function live(person: Person) {
	await expect(person.page.getByTestId('connection'), person.label).toHaveAttribute('data-state', 'live');
}

/** A delegate in the hall votes on their own phone: signs in, opens the sitting, picks, confirms; then puts it away. */
async function voteOnPhone(browser: Browser, sittingId: string, n: number, choice: 'Tán thành' | 'Không tán thành') {
	const d = await personAt(browser, 'phone', `đại biểu ${n}`, `delegate.${COUNCIL}.${n}`, `/sittings/${sittingId}`);
	await live(d);
	await d.page.getByRole('button', { name: choice, exact: true }).click();
	await d.page.getByRole('button', { name: 'Gửi phiếu' }).click();
	await expect(d.page.getByTestId('you-voted')).toHaveText(`✔ Bạn đã biểu quyết: ${choice}.`);
	await d.context.close();
}

test('the whole sitting through the pages at phone, tablet and desktop sizes: from the draft to the sealed, verified resolution', async ({ browser }) => {
	test.setTimeout(240_000);
	const stamp = Date.now().toString(36);
	const sittingTitle = `Kỳ họp toàn trình ${stamp}`;
	const itemTitle = `Tờ trình về kế hoạch đầu tư công năm 2027 ${stamp}`;
	const question = `Thông qua dự thảo Nghị quyết về kế hoạch đầu tư công năm 2027 ${stamp}`;
	const resolutionTitle = `Về kế hoạch đầu tư công năm 2027 ${stamp}`;
	const today = vietnamNow();

	// 1. The secretary, at the desk, creates today's sitting from the council page.
	const secretary = await personAt(browser, 'desktop', 'thư ký', `secretary.${COUNCIL}`);
	await secretary.page.getByTestId('my-councils').getByRole('link', { name: 'HĐND Phường Bến Thành' }).click();
	await expect(secretary.page.getByRole('heading', { level: 1 })).toHaveText('Hội đồng nhân dân Phường Bến Thành');
	await secretary.page.getByLabel('Tên kỳ họp').fill(sittingTitle);
	await secretary.page.getByLabel('Ngày (dd/mm/yyyy)').fill(today.date);
	await secretary.page.getByLabel('Giờ (24 giờ, hh:mm)').fill(today.time);
	await secretary.page.getByLabel('Địa điểm').fill('Hội trường UBND phường Bến Thành');
	await expectFitsScreen(secretary, 'trang hội đồng, tạo kỳ họp');
	await secretary.page.getByRole('button', { name: 'Tạo kỳ họp' }).click();
	await expect(secretary.page).toHaveURL(/\/sittings\/[0-9a-f-]{36}\/secretary$/);
	const sittingId = secretary.page.url().split('/').at(-2)!;
	await hydrated(secretary.page);
	await expect(secretary.page.getByRole('heading', { level: 1 })).toContainText(sittingTitle);

	// 2. The agenda item (a submission, the form's default kind) and its document.
	await secretary.page.getByLabel('Tên nội dung').fill(itemTitle);
	await expect(secretary.page.getByLabel('Loại nội dung')).toHaveValue('submission');
	await secretary.page.getByRole('button', { name: 'Thêm nội dung' }).click();
	await expect(secretary.page.getByTestId('agenda-editor')).toContainText(`1. ${itemTitle}`);
	await secretary.page.getByLabel('Tệp PDF').setInputFiles({ name: 'to-trinh.pdf', mimeType: 'application/pdf', buffer: await submissionPdf() });
	await secretary.page.getByLabel('Tiêu đề tài liệu').fill('Tờ trình số 27/TTr-UBND');
	await secretary.page.getByLabel('Thuộc nội dung').selectOption({ label: `1. ${itemTitle}` });
	await secretary.page.getByRole('button', { name: 'Tải lên' }).click();
	await expect(secretary.page.getByTestId('documents')).toContainText('Tờ trình số 27/TTr-UBND');
	await expectFitsScreen(secretary, 'màn hình thư ký, chương trình và tài liệu');

	// 3. The chair, on the tablet, finds the sitting on the home page and convenes it from the console.
	const chair = await personAt(browser, 'tablet', 'chủ tọa', `chair.${COUNCIL}`);
	await chair.page.getByTestId('upcoming-sittings').getByRole('link', { name: new RegExp(sittingTitle) }).click();
	await expect(chair.page).toHaveURL(`/sittings/${sittingId}`);
	await chair.page.getByRole('navigation', { name: 'Màn hình' }).getByRole('link', { name: 'Điều hành (chủ tọa)' }).click();
	await expect(chair.page).toHaveURL(`/sittings/${sittingId}/chair`);
	await hydrated(chair.page);
	await live(chair);
	await chair.page.getByRole('button', { name: 'Triệu tập' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đã triệu tập');
	await expectFitsScreen(chair, 'bàn điều hành, đã triệu tập');

	// The hall display, on the projector (signed in as the secretary's second screen).
	const display = await personAt(browser, 'hall', 'màn hình hội trường', `secretary.${COUNCIL}`, `/sittings/${sittingId}/display`);
	await live(display);
	await expect(display.page.getByTestId('sitting-status')).toHaveText('Đã triệu tập');

	// 4. Attendance: four delegates check in on their phones (one from outside the hall), from their home pages.
	const phones: Person[] = [];
	for (const n of [1, 2, 3, 4]) {
		const d = await personAt(browser, 'phone', `đại biểu ${n}`, `delegate.${COUNCIL}.${n}`);
		await d.page.getByTestId('upcoming-sittings').getByRole('link', { name: new RegExp(sittingTitle) }).click();
		await expect(d.page).toHaveURL(`/sittings/${sittingId}`);
		await hydrated(d.page);
		await live(d);
		await expect(d.page.getByTestId('documents')).toContainText('Tờ trình số 27/TTr-UBND');
		const mode = n === 4 ? 'Tham dự trực tuyến' : 'Có mặt tại hội trường';
		await d.page.getByRole('button', { name: mode }).click();
		await expect(d.page.getByTestId('my-attendance')).toContainText(`Đã điểm danh: ${mode}`);
		phones.push(d);
	}
	await expectFitsScreen(phones[0], 'trang đại biểu, đã điểm danh');

	// The secretary records sixteen more as present in the hall, row by row in the register (4 + 16 = 20: the quorum).
	const register = secretary.page.getByTestId('attendance-table');
	for (let n = 5; n <= 20; n++) {
		const row = register.getByRole('row').filter({ has: secretary.page.getByText(`delegate.${COUNCIL}.${n}`, { exact: true }) });
		await expect(row.getByRole('combobox')).toHaveValue('present_hall');
		await row.getByRole('button', { name: /^Ghi nhận: / }).click();
		// The status column (the second cell; the name is the row's header) says so once the server has it.
		await expect(row.getByRole('cell').nth(1)).toHaveText(/^\s*✔\s*Có mặt tại hội trường\s*$/);
	}
	for (const screen of [secretary, chair, display, phones[0]]) {
		await expect(screen.page.getByTestId('quorum'), screen.label).toHaveAttribute('data-met', 'yes');
		await expect(screen.page.getByTestId('quorum-text'), screen.label).toContainText('(20/30, cần tối thiểu 20)');
	}
	await expectFitsScreen(secretary, 'màn hình thư ký, điểm danh đủ số');

	// 5. The chair opens the sitting (held today: no question asked), moves to the item and opens the vote.
	await chair.page.getByRole('button', { name: 'Khai mạc' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đang họp');
	await chair.page.getByRole('button', { name: `Chuyển đến: ${itemTitle}` }).click();
	for (const screen of [display, ...phones]) await expect(screen.page.getByTestId('current-item'), screen.label).toContainText(`Nội dung 1: ${itemTitle}`);
	const form = chair.page.getByTestId('open-vote-form');
	await form.getByLabel('Nội dung biểu quyết').fill(question);
	await expect(form.getByLabel('Quy tắc thông qua')).toHaveValue('majority');
	await expectFitsScreen(chair, 'bàn điều hành, mở biểu quyết');
	await form.getByRole('button', { name: 'Mở biểu quyết' }).click();
	await expect(chair.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 0/20 đại biểu có mặt');
	for (const d of phones) await expect(d.page.getByTestId('vote-question'), d.label).toHaveText(question);
	await expect(display.page.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 0/20 đại biểu có mặt');
	await expectFitsScreen(display, 'biểu quyết đang mở');
	await expectFitsScreen(phones[0], 'phiếu biểu quyết');

	// 6. Thirteen delegates in the hall vote on their own phones, three at a time; the display counts them live.
	for (let first = 5; first <= 17; first += 3) {
		const batch = [first, first + 1, first + 2].filter((n) => n <= 17);
		await Promise.all(batch.map((n) => voteOnPhone(browser, sittingId, n, 'Tán thành')));
		await expect(display.page.getByTestId('vote-count')).toHaveText(`Đã biểu quyết: ${Math.min(first + 2, 17) - 4}/20 đại biểu có mặt`);
	}
	// The four phones kept open vote last, each confirming; every screen's count moves each time.
	const choices = ['Tán thành', 'Tán thành', 'Tán thành', 'Không tán thành'] as const;
	for (const [i, d] of phones.entries()) {
		await d.page.getByRole('button', { name: choices[i], exact: true }).click();
		await expect(d.page.getByTestId('confirm')).toContainText(`Bạn chọn: ${choices[i]}. Gửi phiếu?`);
		if (i === 0) await expectFitsScreen(d, 'xác nhận phiếu');
		await d.page.getByRole('button', { name: 'Gửi phiếu' }).click();
		await expect(d.page.getByTestId('you-voted')).toHaveText(`✔ Bạn đã biểu quyết: ${choices[i]}.`);
		for (const screen of [chair, display]) await expect(screen.page.getByTestId('vote-count'), screen.label).toHaveText(`Đã biểu quyết: ${14 + i}/20 đại biểu có mặt`);
	}
	await expectFitsScreen(phones[0], 'đã biểu quyết');
	await expectFitsScreen(chair, 'bàn điều hành, biểu quyết đang mở');

	// 7. The chair closes the vote and confirms (three present have not voted): 16 of 30 seated said yes — it passes.
	await chair.page.getByRole('button', { name: 'Kết thúc biểu quyết', exact: true }).click();
	const confirmClose = chair.page.getByRole('dialog', { name: 'Kết thúc biểu quyết?' });
	await expect(confirmClose).toHaveAccessibleDescription('Còn 3 đại biểu có mặt chưa biểu quyết. Kết thúc?');
	await expectFitsScreen(chair, 'hỏi lại trước khi kết thúc biểu quyết', { within: 'dialog[open]' });
	await confirmClose.getByRole('button', { name: 'Có, kết thúc biểu quyết' }).click();
	for (const screen of [chair, display, ...phones]) {
		const result = screen.page.getByTestId('held-result').getByTestId('vote-result');
		await expect(result, screen.label).toHaveAttribute('data-passed', 'true');
		await expect(result.getByTestId('verdict'), screen.label).toHaveText(/^\s*✔?\s*Thông qua/);
		await expect(result.getByTestId('rule-label'), screen.label).toContainText('Quá nửa tổng số đại biểu (16/30)');
		await expect(result.getByTestId('count-yes'), screen.label).toHaveText('16');
		await expect(result.getByTestId('count-no'), screen.label).toHaveText('1');
	}
	await expectFitsScreen(chair, 'bàn điều hành, kết quả biểu quyết');
	await expectFitsScreen(display, 'kết quả biểu quyết');
	for (const d of phones) await expectFitsScreen(d, 'kết quả biểu quyết');

	// 8. The chair drafts the resolution from the item: a legal basis, an article, a recipient; previews and saves it.
	await chair.page.getByRole('link', { name: `Soạn nghị quyết cho nội dung 1: ${itemTitle}` }).click();
	await expect(chair.page).toHaveURL(new RegExp(`/sittings/${sittingId}/items/[0-9a-f-]{36}/resolution$`));
	await hydrated(chair.page);
	await expect(chair.page.getByRole('heading', { level: 1 })).toHaveText('Soạn nghị quyết');
	const editor = chair.page.getByTestId('resolution-editor');
	await editor.getByLabel('Trích yếu (tên nghị quyết)').fill(resolutionTitle);
	await editor.getByLabel('Căn cứ 1', { exact: true }).fill('Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;');
	await editor.getByLabel('Điều 1, khoản 1', { exact: true }).fill('Thông qua kế hoạch đầu tư công năm 2027 của phường.');
	await editor.getByLabel('Nơi nhận 1', { exact: true }).fill('Lưu: VT.');
	const [preview] = await Promise.all([
		chair.page.waitForResponse((r) => new URL(r.url()).pathname === '/resolutions/preview.pdf'),
		editor.getByRole('button', { name: 'Xem trước bản PDF' }).click()
	]);
	expect([preview.status(), preview.headers()['content-type']]).toEqual([200, 'application/pdf']);
	await expect(chair.page.getByTestId('preview-frame')).toHaveAttribute('aria-busy', 'false');
	await expectFitsScreen(chair, 'soạn nghị quyết, xem trước');
	await editor.getByRole('button', { name: 'Lưu dự thảo' }).click();
	await expect(chair.page.getByTestId('save-status')).toContainText('Đã lưu dự thảo nghị quyết lúc');
	const resolutionId = new URL(chair.page.url()).searchParams.get('id')!;
	expect(resolutionId).toMatch(/^[0-9a-f-]{36}$/);

	// 9. From the saved draft to the council's resolutions: the chair adopts it (by the vote just passed) and signs.
	await chair.page.getByTestId('save-status').getByRole('link', { name: 'Danh sách nghị quyết' }).click();
	await expect(chair.page).toHaveURL(new RegExp(`/resolutions/[0-9a-f-]{36}#r-${resolutionId}$`));
	await hydrated(chair.page);
	const chairRow = chair.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await expect(chairRow).toContainText(resolutionTitle);
	await expect(chairRow.getByRole('combobox')).toHaveText(question);
	await expectFitsScreen(chair, 'danh sách nghị quyết, dự thảo');
	await chairRow.getByRole('button', { name: 'Thông qua' }).click();
	await expect(chair.page.getByTestId('action-done')).toHaveText(/^Đã thông qua nghị quyết số \d+\/\d{4}\/NQ-HĐND\.$/);
	await chairRow.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await expectFitsScreen(chair, 'danh sách nghị quyết, ký số');
	await chairRow.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
	await expect(chairRow).toContainText('Chủ tịch đã ký');

	// 10. The clerk, at the desk, follows the to-do list to the seal and issues the resolution.
	const clerk = await personAt(browser, 'desktop', 'văn thư', `clerk.${COUNCIL}`);
	await clerk.page.getByTestId('todo').getByRole('link', { name: `Ký số cơ quan, ban hành nghị quyết: ${resolutionTitle}` }).click();
	await expect(clerk.page).toHaveURL(new RegExp(`#r-${resolutionId}$`));
	await hydrated(clerk.page);
	const clerkRow = clerk.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await clerkRow.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await expectFitsScreen(clerk, 'danh sách nghị quyết, ban hành');
	await clerkRow.getByRole('button', { name: 'Ký số cơ quan (Văn thư)' }).click();
	await expect(clerkRow).toContainText('Đã ban hành');
	const issued = await query<{ status: string; number: string; shortCode: string }>(clerk.context.request, 'resolution.get', { resolutionId });
	expect(issued.status).toBe('issued');

	// 11. A visitor on a phone opens the QR code's link (its code is what the printed copy carries), downloads the
	// PDF and has it checked: the verdict says it is valid, and it matches the system's archived copy.
	const visitor = await personAt(browser, 'phone', 'khách');
	await visitor.page.goto(`/verify?code=${issued.shortCode}`);
	await hydrated(visitor.page);
	await expect(visitor.page.getByTestId('issued').getByRole('heading', { level: 2 })).toHaveText(`Nghị quyết số ${issued.number}`);
	await expectFitsScreen(visitor, 'xác minh theo mã QR');
	const [download] = await Promise.all([visitor.page.waitForEvent('download'), visitor.page.getByRole('link', { name: 'Tải nghị quyết (PDF)' }).click()]);
	const file = await download.path();
	await visitor.page.getByLabel('Tệp PDF').setInputFiles(file);
	await visitor.page.getByRole('button', { name: 'Xác minh' }).click();
	// The page already shows the check of the archived copy (in the issued card); the uploaded file's report follows it.
	const reports = visitor.page.getByTestId('verify-report');
	await expect(reports).toHaveCount(2);
	const report = reports.nth(1);
	await expect(visitor.page.getByTestId('issued').getByTestId('verify-report')).toHaveCount(1);
	await expect(report.getByTestId('verdict')).toHaveAttribute('data-code', 'VALID');
	await expect(report.getByTestId('registry')).toHaveText(`Trùng khớp với bản lưu của hệ thống: nghị quyết số ${issued.number} (bản 2).`);
	await expect(report.getByTestId('signature')).toHaveCount(2);
	await expectFitsScreen(visitor, 'kết quả xác minh');

	// 12. The chair closes the sitting from the console (and confirms); every screen says so. The ward is idle again.
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await hydrated(chair.page);
	await chair.page.getByRole('button', { name: 'Bế mạc' }).click();
	await chair.page.getByRole('dialog', { name: 'Bế mạc kỳ họp?' }).getByRole('button', { name: 'Có, bế mạc kỳ họp' }).click();
	await expect(chair.page.getByTestId('chair-status')).toHaveText('Đã bế mạc');
	for (const screen of [display, ...phones]) await expect(screen.page.getByTestId('sitting-status'), screen.label).toContainText('Đã bế mạc');

	await Promise.all([secretary, chair, display, clerk, visitor, ...phones].map((p) => p.context.close()));
});
