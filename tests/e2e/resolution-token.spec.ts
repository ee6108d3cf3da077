import { expect, test } from '@playwright/test';
import { createSoftHsmToken, SOFTHSM_E2E_DIR } from '../helpers/softhsm';
import { draftAfterPassingVote } from './helpers/resolution';
import { COUNCIL, councilIdOf, mutate, userPage } from './helpers/session';

// Issue 18 §3, "signing with a SoftHSM2 token works end to end in the UI": the chair chooses the token on the
// resolutions page (the key is generated on it and certified by the council's CA), then signs with its PIN.
test('the chair sets up a PKCS#11 token and signs a resolution with it; a wrong PIN is refused', async ({ browser, playwright }) => {
	test.setTimeout(180_000);
	// The app server reads this directory's configuration at each token call (playwright.config.ts).
	const token = createSoftHsmToken({ label: 'Token Chu tich', dir: SOFTHSM_E2E_DIR });
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	try {
		const councilId = await councilIdOf(chair.request, COUNCIL);
		const { resolutionId } = await draftAfterPassingVote(playwright, chair.request, { title: 'Về thử nghiệm ký bằng thiết bị ký số' });

		await chair.page.goto(`/resolutions/${councilId}`);
		const settings = chair.page.getByTestId('signer-settings');
		await expect(settings.getByTestId('signer-current')).toHaveText('Đang dùng: Khóa do hệ thống lưu giữ (mật khẩu chứng thư số)');
		await settings.getByLabel('Thiết bị ký số (USB token, PKCS#11)').check();
		await settings.getByLabel('Tên thiết bị (token label)').fill(token.tokenLabel);
		await settings.getByLabel('Tên khóa trên thiết bị').fill('chu-tich-e2e');
		await settings.getByLabel('Mã PIN của thiết bị').fill(token.pin);
		await settings.getByLabel('Tạo khóa mới trên thiết bị (khóa bí mật không bao giờ rời thiết bị)').check();
		await settings.getByRole('button', { name: 'Lưu cách ký' }).click();
		await expect(settings.getByTestId('signer-done')).toHaveText('Đã lưu cách ký số.');
		await expect(settings.getByTestId('signer-current')).toHaveText('Đang dùng: Thiết bị ký số (USB token, PKCS#11)');

		const row = chair.page.locator(`[data-testid="resolution-row"][data-id="${resolutionId}"]`);
		await row.getByRole('button', { name: 'Thông qua' }).click();
		await expect(chair.page.getByTestId('action-done')).toContainText('/NQ-HĐND');
		await row.getByLabel('Mã PIN thiết bị ký số').fill('000000');
		await row.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
		await expect(chair.page.getByTestId('action-error')).toHaveText('Mã PIN của thiết bị ký số (token) không đúng.');
		await expect(row).toContainText('Đã thông qua');
		await row.getByLabel('Mã PIN thiết bị ký số').fill(token.pin);
		await row.getByRole('button', { name: 'Ký số (Chủ tịch)' }).click();
		await expect(row).toContainText('Chủ tịch đã ký');
		await expect(row.getByTestId('signed-with')).toHaveText('Chủ tịch ký bằng: thiết bị ký số (token)');
	} finally {
		// The other specs sign with the demo passphrase: back to the key kept by the server.
		await mutate(chair.request, 'resolution.setSigner', { method: 'server' });
		await chair.context.close();
		token.dispose();
	}
});
