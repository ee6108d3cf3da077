import { expect, test } from '@playwright/test';
import { issuedResolution } from './helpers/resolution';
import { userPage } from './helpers/session';

// Phường Sài Gòn: the dashboard spec expects Bến Thành to have no sitting going on.
const WARD = '26740';

test('the chair assigns a task from an issued resolution, the assignee reports progress, the list shows it', async ({ browser, playwright }) => {
	test.setTimeout(180_000);
	const chair = await userPage(browser, `chair.${WARD}`);
	const { number } = await issuedResolution(playwright, chair.request, { title: 'Về chỉnh trang vỉa hè năm 2027', code: WARD });
	const assignee = await userPage(browser, `delegate.${WARD}.5`);

	// The chair's form offers the council's issued resolution and its people.
	await chair.page.goto('/followup');
	const form = chair.page.getByRole('form', { name: 'Giao nhiệm vụ mới' });
	const resolution = form.getByLabel('Nghị quyết được theo dõi');
	await expect(resolution.locator('option:checked')).toHaveText(`${number} — Về chỉnh trang vỉa hè năm 2027 (Đã ban hành)`);
	await expect(form.getByLabel('Nghị quyết (số, trích yếu)')).toHaveCount(0); // only for a resolution not in the list
	await form.getByLabel('Nhiệm vụ', { exact: true }).fill('Lát lại vỉa hè đường Lê Lợi');
	await form.getByLabel('Cơ quan thực hiện').fill('UBND phường Sài Gòn');
	await form.getByLabel('Người báo cáo tiến độ').selectOption({ label: `${assignee.fullName} — Đại biểu HĐND` });
	const deadline = new Date(Date.now() + 30 * 86_400_000);
	await form.getByLabel('Thời hạn').fill(deadline.toISOString().slice(0, 10));
	await form.getByRole('button', { name: 'Giao nhiệm vụ' }).click();
	await expect(form.getByRole('status')).toHaveText('Đã giao nhiệm vụ.');

	const chairRow = chair.page.getByRole('row', { name: /Lát lại vỉa hè đường Lê Lợi/ });
	await expect(chairRow).toContainText(number);
	await expect(chairRow).toContainText(assignee.fullName);
	await expect(chairRow).toContainText('0%');
	await expect(chairRow).toContainText('Trong hạn');
	// The deadline as dd/MM/yyyy (Vietnam time).
	const [y, m, d] = deadline.toISOString().slice(0, 10).split('-');
	await expect(chairRow).toContainText(`${d}/${m}/${y}`);

	// Another delegate of the council sees the task but may not report on it.
	const other = await userPage(browser, `delegate.${WARD}.6`);
	await other.page.goto('/followup');
	const otherRow = other.page.getByRole('row', { name: /Lát lại vỉa hè đường Lê Lợi/ });
	await expect(otherRow).toBeVisible();
	await expect(otherRow.getByRole('button', { name: 'Gửi báo cáo' })).toHaveCount(0);

	// The assignee reports 40 %.
	await assignee.page.goto('/followup');
	// The report form opens in the browser: a click before the page is hydrated would be lost.
	await expect(assignee.page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	const row = assignee.page.getByRole('row', { name: /Lát lại vỉa hè đường Lê Lợi/ });
	await row.getByRole('button', { name: 'Gửi báo cáo' }).click();
	const report = assignee.page.getByRole('form', { name: 'Báo cáo tiến độ: Lát lại vỉa hè đường Lê Lợi' });
	await report.getByLabel('Tiến độ (%)').fill('40');
	await report.getByLabel('Báo cáo tiến độ').fill('Đã lát xong 400 m ở phía số chẵn');
	await report.getByRole('button', { name: 'Gửi báo cáo' }).click();
	await expect(assignee.page.getByText('Đã ghi báo cáo tiến độ.')).toBeVisible();
	await expect(row).toContainText('40%');
	await expect(row).toContainText('Đã lát xong 400 m ở phía số chẵn');
	await expect(row.getByRole('progressbar')).toHaveAttribute('value', '40');

	// The chair's list shows the percentage too.
	await chair.page.reload();
	await expect(chairRow).toContainText('40%');
	await expect(chairRow).toContainText('Trong hạn');

	for (const u of [chair, assignee, other]) await u.context.close();
});
