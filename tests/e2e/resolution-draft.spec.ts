import { expect, test, type Page } from '@playwright/test';
import { passingVote } from './helpers/resolution';
import { COUNCIL, councilIdOf, query, userPage } from './helpers/session';

const TITLE = 'Về kế hoạch đầu tư công năm 2027 (soạn trên giao diện)';

/**
 * Nothing wider than the screen: the page never scrolls sideways. Asked of the page at rest: right after a resize the
 * header still shows its every link for a frame, until its ResizeObserver folds them into the menu (AppHeader.svelte).
 */
async function expectNoSidewaysScroll(page: Page) {
	await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
}

test('the chair drafts a resolution in the editor, previews and saves it; the to-do lists and notifications lead chair and clerk to adopt, sign and seal', async ({
	browser,
	playwright
}) => {
	test.setTimeout(180_000);
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const councilId = await councilIdOf(chair.request, COUNCIL);
	const { sittingId, itemId, delegates } = await passingVote(playwright, chair.request);
	const page = chair.page;

	// "Soạn nghị quyết" on the submission item of the sitting's agenda opens the item's editor.
	await page.goto(`/sittings/${sittingId}`);
	await page
		.getByRole('link', {
			name: 'Soạn nghị quyết cho nội dung 1: Tờ trình kế hoạch đầu tư công'
		})
		.click();
	await expect(page).toHaveURL(`/sittings/${sittingId}/items/${itemId}/resolution`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Soạn nghị quyết');
	await expect(page.getByText('Nội dung 1: Tờ trình kế hoạch đầu tư công')).toBeVisible();

	// Title, a legal basis, two articles (the second added), a recipient.
	const editor = page.getByTestId('resolution-editor');
	await editor.getByLabel('Trích yếu (tên nghị quyết)').fill(TITLE);
	await editor.getByLabel('Căn cứ 1', { exact: true }).fill('Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;');
	await editor.getByLabel('Điều 1, khoản 1', { exact: true }).fill('Phê duyệt kế hoạch đầu tư công năm 2027 của phường.');
	await editor.getByRole('button', { name: 'Thêm điều' }).click();
	// The new article's first paragraph has the focus, ready to type.
	await expect(editor.getByLabel('Điều 2, khoản 1', { exact: true })).toBeFocused();
	await page.keyboard.type('Giao Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.');
	await editor.getByLabel('Nơi nhận 1', { exact: true }).fill('Lưu: VT.');
	await expect(page.getByTestId('save-status')).toHaveText('● Có thay đổi chưa lưu.');

	// The preview: the draft as it prints, posted into the frame beside the form.
	const [preview] = await Promise.all([
		page.waitForResponse((r) => new URL(r.url()).pathname === '/resolutions/preview.pdf'),
		editor.getByRole('button', { name: 'Xem trước bản PDF' }).click()
	]);
	expect(preview.status()).toBe(200);
	expect(preview.headers()['content-type']).toBe('application/pdf');
	expect(preview.frame().name()).toBe('resolution-preview');
	// Chromium hands the frame's PDF to its viewer (the response body the browser reports is the viewer's page),
	// so the bytes are checked by posting the form's own field once more.
	const draft = await editor.locator('input[name="draft"]').inputValue();
	expect(JSON.parse(draft)).toEqual({
		itemId,
		title: TITLE,
		body: {
			legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;'],
			articles: [
				{ paragraphs: ['Phê duyệt kế hoạch đầu tư công năm 2027 của phường.'] },
				{
					paragraphs: ['Giao Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.']
				}
			],
			recipients: ['Lưu: VT.']
		}
	});
	const pdf = await chair.request.post('/resolutions/preview.pdf', {
		form: { draft }
	});
	expect([pdf.status(), pdf.headers()['content-type']]).toEqual([200, 'application/pdf']);
	expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
	await expect(page.getByText('Bấm “Xem trước bản PDF”')).toHaveCount(0);

	// Phone, tablet, desktop: nothing scrolls sideways; the screenshots (screen and whole page) are kept with the output.
	for (const [width, height] of [
		[390, 844],
		[820, 1180],
		[1366, 900]
	]) {
		await page.setViewportSize({ width, height });
		await expectNoSidewaysScroll(page);
		await page.screenshot({ path: test.info().outputPath(`editor-${width}.png`) });
		await page.screenshot({ path: test.info().outputPath(`editor-${width}-full.png`), fullPage: true });
	}

	// Saving stores the draft (resolution.draft); the address now names it.
	await editor.getByRole('button', { name: 'Lưu dự thảo' }).click();
	await expect(page.getByTestId('save-status')).toContainText('Đã lưu dự thảo nghị quyết lúc');
	await expect(page).toHaveURL(/\?id=[0-9a-f-]{36}$/);
	const resolutionId = new URL(page.url()).searchParams.get('id')!;
	const stored = await query<{ title: string; status: string; body: unknown }>(chair.request, 'resolution.get', { resolutionId });
	expect(stored).toMatchObject({
		title: TITLE,
		status: 'draft',
		body: {
			legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;'],
			articles: [
				{ paragraphs: ['Phê duyệt kế hoạch đầu tư công năm 2027 của phường.'] },
				{
					paragraphs: ['Giao Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.']
				}
			],
			recipients: ['Lưu: VT.']
		}
	});

	// The sitting's "Nghị quyết" leads to the council's resolutions, where the draft is; the menu has it too.
	await page.goto(`/sittings/${sittingId}`);
	await expect(page.getByRole('navigation', { name: 'Trình đơn' }).getByRole('link', { name: 'Nghị quyết', exact: true })).toHaveAttribute(
		'href',
		`/resolutions/${councilId}`
	);
	await page.getByTestId('sitting-resolutions').click();
	await expect(page).toHaveURL(`/resolutions/${councilId}`);
	const row = page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await expect(row).toContainText(TITLE);
	await expect(row).toContainText('Dự thảo');

	// "Sửa dự thảo" opens the stored draft; a recipient is added and moved first, and saving updates it.
	await row.getByRole('link', { name: `Sửa dự thảo: ${TITLE}` }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Sửa dự thảo nghị quyết');
	await expect(editor.getByLabel('Trích yếu (tên nghị quyết)')).toHaveValue(TITLE);
	await expect(editor.getByLabel('Điều 2, khoản 1', { exact: true })).toHaveValue('Giao Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.');
	await editor.getByRole('button', { name: 'Thêm nơi nhận' }).click();
	await expect(editor.getByLabel('Nơi nhận 2', { exact: true })).toBeFocused();
	await page.keyboard.type('Thường trực HĐND Thành phố;');
	await editor.getByRole('button', { name: 'Lên (Nơi nhận 2)' }).click();
	await expect(editor.getByLabel('Nơi nhận 1', { exact: true })).toHaveValue('Thường trực HĐND Thành phố;');
	// The moved line's button reached the top: the focus stays on that line, on its other move button.
	await expect(editor.getByRole('button', { name: 'Xuống (Nơi nhận 1)' })).toBeFocused();
	await editor.getByRole('button', { name: 'Lưu dự thảo' }).click();
	await expect(page.getByTestId('save-status')).toContainText('Đã lưu dự thảo nghị quyết lúc');
	expect((await query<{ body: { recipients: string[] } }>(chair.request, 'resolution.get', { resolutionId })).body.recipients).toEqual(['Thường trực HĐND Thành phố;', 'Lưu: VT.']);

	// Home: "Việc cần làm" has the adoption, one click from its row on the resolutions page.
	await page.goto('/');
	const todo = page.getByTestId('todo');
	await todo.getByRole('link', { name: `Thông qua nghị quyết: ${TITLE}` }).click();
	await expect(page).toHaveURL(`/resolutions/${councilId}#r-${resolutionId}`);
	await row.getByRole('button', { name: 'Thông qua' }).click();
	await expect(page.getByTestId('action-done')).toContainText('/NQ-HĐND');

	// Adopted: the chair is told to sign, and the home page says so.
	await page.goto('/notifications');
	await expect(page.locator('li', { hasText: 'Nghị quyết chờ ký' }).getByRole('link', { name: TITLE })).toHaveAttribute(
		'href',
		`/resolutions/${councilId}#r-${resolutionId}`
	);
	await page.goto('/');
	await todo.getByRole('link', { name: `Ký số nghị quyết: ${TITLE}` }).click();
	await row.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await row.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
	await expect(row).toContainText('Chủ tịch đã ký');

	// Signed: the clerk has a notification and the seal task on home, one click from the action.
	const clerk = await userPage(browser, `clerk.${COUNCIL}`);
	await clerk.page.goto('/notifications');
	const notice = clerk.page.locator('li', { hasText: 'Nghị quyết chờ ban hành' }).filter({ hasText: TITLE });
	await expect(notice).toHaveCount(1);
	await expect(notice).toContainText('đang chờ văn thư ký số cơ quan để ban hành');
	await clerk.page.goto('/');
	// On a phone too: the to-do list and the resolutions page (cards there) never scroll sideways.
	await clerk.page.setViewportSize({ width: 390, height: 844 });
	await expectNoSidewaysScroll(clerk.page);
	await clerk.page.screenshot({ path: test.info().outputPath('clerk-home-390.png'), fullPage: true });
	await clerk.page
		.getByTestId('todo')
		.getByRole('link', { name: `Ký số cơ quan, ban hành nghị quyết: ${TITLE}` })
		.click();
	await expect(clerk.page).toHaveURL(`/resolutions/${councilId}#r-${resolutionId}`);
	const clerkRow = clerk.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await expectNoSidewaysScroll(clerk.page);
	await clerk.page.screenshot({ path: test.info().outputPath('clerk-resolutions-390.png') });
	await clerkRow.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await clerkRow.getByRole('button', { name: 'Ký số cơ quan (Văn thư)' }).click();
	await expect(clerkRow).toContainText('Đã ban hành');
	await clerk.page.goto('/');
	await expect(
		clerk.page.getByRole('link', {
			name: `Ký số cơ quan, ban hành nghị quyết: ${TITLE}`
		})
	).toHaveCount(0);

	for (const d of delegates) await d.dispose();
	await clerk.context.close();
	await chair.context.close();
});
