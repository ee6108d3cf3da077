import { expect, test } from '@playwright/test';
import { appendOverlayAnnotation } from '../helpers/pdf-overlay';
import { draftAfterPassingVote } from './helpers/resolution';
import { COUNCIL, councilIdOf, query, userPage } from './helpers/session';

test('the chair adopts and signs, the clerk seals, and a visitor downloads and verifies the resolution', async ({ browser, playwright }) => {
	test.setTimeout(180_000);
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const councilId = await councilIdOf(chair.request, COUNCIL);
	const { resolutionId } = await draftAfterPassingVote(playwright, chair.request, { title: 'Về kế hoạch đầu tư công năm 2027' });

	// The chair adopts and signs on the council's page.
	await chair.page.goto(`/resolutions/${councilId}`);
	const row = chair.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await row.getByRole('button', { name: 'Thông qua' }).click();
	await expect(chair.page.getByTestId('action-done')).toContainText('/NQ-HĐND');
	await row.getByLabel('Mật khẩu chứng thư số').fill('sai');
	await row.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
	await expect(chair.page.getByTestId('action-error')).toHaveText('Mật khẩu chứng thư số không đúng.');
	await row.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await row.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
	await expect(row).toContainText('Chủ tịch đã ký');

	// The clerk seals.
	const clerk = await userPage(browser, `clerk.${COUNCIL}`);
	await clerk.page.goto(`/resolutions/${councilId}`);
	const clerkRow = clerk.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
	await clerkRow.getByLabel('Mật khẩu chứng thư số').fill('demo');
	await clerkRow.getByRole('button', { name: 'Ký số cơ quan (Văn thư)' }).click();
	await expect(clerkRow).toContainText('Đã ban hành');
	const { shortCode, number } = await query<{ shortCode: string; number: string }>(chair.request, 'resolution.get', { resolutionId });

	// A visitor, not signed in, downloads the PDF and checks it.
	const visitor = await browser.newContext({ locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
	const page = await visitor.newPage();
	const pdf = await visitor.request.get(`/resolutions/${resolutionId}.pdf`);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	const bytes = await pdf.body();
	await page.goto('/verify');
	await page.getByLabel('Tệp PDF').setInputFiles({ name: 'nghi-quyet.pdf', mimeType: 'application/pdf', buffer: bytes });
	await page.getByRole('button', { name: 'Xác minh' }).click();
	const report = page.getByTestId('verify-report');
	await expect(report.getByTestId('registry')).toContainText(`Trùng khớp với bản lưu của hệ thống: nghị quyết số ${number} (bản 2)`);
	await expect(report.getByTestId('signature')).toHaveCount(2);
	// PAdES B-T and B-LTA: each signing time comes from the city TSA, the signer's own clock apart; the document
	// timestamp after the seal is shown as the document's, not as a third signature.
	await expect(report.getByTestId('signing-time')).toHaveText([/^Thời điểm ký \(theo dấu thời gian tin cậy\): /, /^Thời điểm ký \(theo dấu thời gian tin cậy\): /]);
	await expect(report.getByTestId('claimed-time')).toHaveCount(2);
	await expect(report.getByTestId('document-timestamp')).toHaveCount(1);
	await expect(report.getByTestId('document-timestamp')).toContainText('Dấu thời gian hợp lệ, do máy chủ tin cậy cấp');
	await expect(report).not.toContainText('Nội dung đã bị thay đổi');
	await expect(report.getByTestId('verdict')).toHaveAttribute('data-code', 'VALID');

	// A copy with an annotation painted over the text after the seal: the verdict says so first, above the form.
	await page.getByLabel('Tệp PDF').setInputFiles({ name: 'ban-sua.pdf', mimeType: 'application/pdf', buffer: Buffer.from(appendOverlayAnnotation(bytes)) });
	await page.getByRole('button', { name: 'Xác minh' }).click();
	const verdict = page.getByTestId('verdict');
	await expect(verdict).toHaveAttribute('data-code', 'MODIFIED_AFTER_SIGNING');
	await expect(verdict).toContainText('Văn bản đã bị sửa đổi sau khi ký (phiên bản 6 của tệp)');
	await expect(page.getByTestId('modifications')).toContainText('chú thích hoặc hình vẽ chồng lên trang');
	const [verdictBox, formBox] = await Promise.all([verdict.boundingBox(), page.getByRole('button', { name: 'Xác minh' }).boundingBox()]);
	expect(verdictBox!.y).toBeLessThan(formBox!.y);

	// The QR code's link shows the issued resolution with the check of the archived copy.
	await page.goto(`/verify?code=${shortCode}`);
	await expect(page.getByTestId('issued')).toContainText(`Nghị quyết số ${number}`);
	await expect(page.getByTestId('issued').getByTestId('registry')).toContainText('Trùng khớp');

	// A modified copy is reported as such.
	const tampered = Buffer.from(bytes);
	tampered[Math.floor(tampered.length / 3)] ^= 0x01;
	const res = await visitor.request.post('/api/verify', { data: tampered, headers: { 'content-type': 'application/pdf' } });
	const json = (await res.json()) as { ok?: boolean; registry?: { matches: boolean }; error?: unknown };
	expect(json.registry?.matches ?? false).toBe(false);
	await visitor.close();
	await chair.context.close();
	await clerk.context.close();
});
