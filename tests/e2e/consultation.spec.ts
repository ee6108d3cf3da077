import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { userPage } from './helpers/session';

/** Tomorrow's date in Vietnam time as dd/mm/yyyy, as the app's date fields take it. */
function tomorrow(): string {
	const [y, m, d] = new Date(Date.now() + 7 * 3_600_000 + 86_400_000).toISOString().slice(0, 10).split('-');
	return `${d}/${m}/${y}`;
}

test('the chair consults, two delegates answer in their own browsers, the result moves live, and exports as CSV', async ({ browser }) => {
	test.setTimeout(90_000);
	const title = `Lấy ý kiến dự thảo quy chế ${Date.now().toString(36)}`;

	// The standing committee (the ward's chair) opens a consultation.
	const chair = await userPage(browser, 'chair.26743');
	await chair.page.goto('/consultations');
	// The chair has one council: it is already chosen, not a blank dropdown.
	await expect(chair.page.getByLabel('Hội đồng')).toHaveValue(/^[0-9a-f-]{36}$/);
	await expect(chair.page.getByLabel('Hội đồng').locator('option:checked')).toHaveText('Phường Bến Thành');
	await chair.page.getByLabel('Tiêu đề').fill(title);
	await chair.page.getByLabel('Nội dung xin ý kiến').fill('Đồng chí có đồng ý với dự thảo quy chế làm việc?');
	// The deadline as dd/mm/yyyy and a 24-hour time, like every other date field (not the browser's picker).
	const deadline = chair.page.getByRole('group', { name: 'Hạn cho ý kiến' });
	await expect(deadline.locator('input[type="datetime-local"], input[type="date"]')).toHaveCount(0);
	const day = tomorrow();
	await deadline.getByLabel('Ngày (dd/mm/yyyy)').fill(day);
	await deadline.getByLabel('Giờ (24 giờ, hh:mm)').fill('17:00');
	await chair.page.getByRole('button', { name: 'Gửi lấy ý kiến' }).click();
	await expect(chair.page).toHaveURL(/\/consultations\/[0-9a-f-]{36}$/);
	await expect(chair.page.getByText(`Phường Bến Thành · Hạn: ${day} 17:00`)).toBeVisible();
	const url = new URL(chair.page.url()).pathname;
	await expect(chair.page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
	await expect(chair.page.getByTestId('consultation-answered')).toHaveText('0/30 đã cho ý kiến');
	// A mark on the page: it must survive everything below (nothing reloads the page).
	await chair.page.evaluate(() => ((window as unknown as { stay: number }).stay = 42));

	// Two delegates, each in their own browser context.
	const d1 = await userPage(browser, 'delegate.26743.1');
	await d1.page.goto(url);
	await d1.page.getByLabel('Đồng ý', { exact: true }).check();
	await d1.page.getByRole('button', { name: 'Gửi ý kiến' }).click();
	await expect(d1.page.getByText('Ý kiến của bạn: Đồng ý')).toBeVisible();

	await expect(chair.page.getByTestId('consultation-answered')).toHaveText('1/30 đã cho ý kiến');
	await expect(chair.page.getByTestId('count-agree')).toHaveText('1 (3%)');
	await expect(chair.page.getByTestId('announcer')).toContainText('Cập nhật: 1/30 đại biểu đã cho ý kiến');

	const d2 = await userPage(browser, 'delegate.26743.2');
	await d2.page.goto(url);
	await d2.page.getByLabel('Ý kiến khác').check();
	await d2.page.getByLabel('Góp ý').fill('Đề nghị bổ sung điều 5 về chế độ báo cáo.');
	await d2.page.getByRole('button', { name: 'Gửi ý kiến' }).click();
	await expect(d2.page.getByText('Ý kiến của bạn: Ý kiến khác')).toBeVisible();

	await expect(chair.page.getByTestId('consultation-answered')).toHaveText('2/30 đã cho ý kiến');
	await expect(chair.page.getByTestId('count-comment')).toHaveText('1 (3%)');
	await expect(chair.page.getByTestId('count-notAnswered')).toHaveText('28 (93%)');
	await expect(chair.page.getByText('Đề nghị bổ sung điều 5 về chế độ báo cáo.')).toBeVisible();
	// The first delegate's page follows too.
	await expect(d1.page.getByTestId('consultation-answered')).toHaveText('2/30 đã cho ý kiến');
	expect(await chair.page.evaluate(() => (window as unknown as { stay?: number }).stay)).toBe(42);

	// The CSV export: UTF-8 with BOM, the counts and every answer.
	const [download] = await Promise.all([chair.page.waitForEvent('download'), chair.page.getByRole('link', { name: 'Tải CSV' }).click()]);
	const csv = await readFile((await download.path())!, 'utf8');
	expect(csv.charCodeAt(0)).toBe(0xfeff);
	expect(csv).toContain(title);
	expect(csv).toMatch(/Đồng ý,1\r\n/);
	expect(csv).toMatch(/Ý kiến khác,1\r\n/);
	expect(csv).toMatch(/Chưa cho ý kiến,28\r\n/);
	expect(csv).toContain(`delegate.26743.1,${d1.fullName},Đồng ý`);
	expect(csv).toContain(`delegate.26743.2,${d2.fullName},Ý kiến khác,Đề nghị bổ sung điều 5 về chế độ báo cáo.`);

	for (const u of [chair, d1, d2]) await u.context.close();
});
