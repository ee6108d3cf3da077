import { expect, test } from '@playwright/test';
import { userPage } from './helpers/session';

const WARD = '27154'; // Phường Bàn Cờ

test('a delegate records a voter petition, the chair assigns and answers it, and everyone reads its status', async ({ browser }) => {
	const topic = `Ngập nước hẻm 42 (${Date.now()})`;
	const delegate = await userPage(browser, `delegate.${WARD}.2`);
	await delegate.page.goto('/petitions');
	const form = delegate.page.getByRole('form', { name: 'Ghi nhận kiến nghị' });
	await expect(form.getByLabel('Hội đồng')).toHaveValue(/.+/); // their one council, already chosen
	await form.getByLabel('Lĩnh vực, chủ đề').fill(topic);
	await form.getByLabel('Địa bàn').fill('Khu phố 3');
	await form.getByLabel('Nội dung kiến nghị').fill('Cử tri đề nghị nạo vét cống thoát nước hẻm 42 trước mùa mưa.');
	await form.getByRole('button', { name: 'Ghi nhận' }).click();
	// The feedback says what was saved, not a bare "Đã lưu.".
	await expect(form.getByTestId('petition-saved')).toHaveText(`Đã ghi nhận kiến nghị “${topic}” (trạng thái: Đã tiếp nhận).`);
	const mine = delegate.page.getByRole('article').filter({ hasText: topic });
	await expect(mine).toContainText('Đã tiếp nhận');
	await expect(mine).toContainText('Phường Bàn Cờ · Khu phố 3');
	// A delegate records; only the chair and the secretary assign and answer.
	await expect(mine.getByRole('button')).toHaveCount(0);

	const chair = await userPage(browser, `chair.${WARD}`);
	await chair.page.goto('/petitions');
	const card = chair.page.getByRole('article').filter({ hasText: topic });
	await expect(card).toContainText('Đã tiếp nhận');
	await card.getByLabel('Cơ quan giải quyết').fill('UBND phường Bàn Cờ');
	await card.getByRole('button', { name: 'Chuyển cơ quan' }).click();
	await expect(card.getByTestId('petition-saved')).toHaveText(`Đã chuyển kiến nghị “${topic}” đến UBND phường Bàn Cờ.`);
	await expect(card).toContainText('Đã chuyển xử lý');
	await expect(card).toContainText('Cơ quan giải quyết: UBND phường Bàn Cờ');

	// The answer box is a multi-line field with a visible label, not a one-line input with only a placeholder.
	const answerBox = card.getByLabel('Nội dung trả lời');
	await expect(answerBox).toHaveJSProperty('tagName', 'TEXTAREA');
	await expect(card.locator('label', { hasText: 'Nội dung trả lời' })).toBeVisible();
	await expect(answerBox).not.toHaveAttribute('placeholder');
	await answerBox.fill('Đã đưa vào kế hoạch nạo vét tháng 4.\nDự kiến xong trước 30/4.');
	await card.getByRole('button', { name: 'Ghi trả lời' }).click();
	await expect(card.getByTestId('petition-saved')).toHaveText(`Đã ghi trả lời kiến nghị “${topic}” (trạng thái: Đã trả lời); đại biểu ghi nhận kiến nghị sẽ thấy câu trả lời.`);
	await expect(card).toContainText('Đã trả lời');
	await expect(card).toContainText('Nội dung trả lời: Đã đưa vào kế hoạch nạo vét tháng 4.');

	// The delegate who recorded it reads the answer and its status in words.
	await delegate.page.reload();
	await expect(mine.locator('.badge')).toHaveText('Đã trả lời');
	await expect(mine).toContainText('Nội dung trả lời: Đã đưa vào kế hoạch nạo vét tháng 4.');

	for (const u of [delegate, chair]) await u.context.close();
});
