import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { encryptBallot } from '../../app/lib/secret-ballot';
import { COUNCIL, apiUser, delegateNames, mutate, query, userPage, type UserPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';

// Issue 17, the chair's and the counting committee's screens: the chair prepares an encrypted secret vote with its
// committee (the default: the first three present delegates, any 2 of 3 count), the three members make the key in
// their own browsers (each fingerprint the same on every screen), the chair opens; five delegates cast ciphertexts
// (Node, as their browsers would); the chair ends casting; member 1 counts from this device's IndexedDB (after a
// reload), member 3 from the downloaded file in a fresh browser (no IndexedDB copy) — and the result is the chair's.

const FINGERPRINT = /^[0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}$/;

/** axe-core's WCAG 2.1 A/AA rules (as accessibility.spec.ts): no serious or critical violation, one line each. */
async function expectAccessible(page: Page, what: string) {
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id}: ${n.target.join(' ')}`));
	expect(serious, what).toEqual([]);
}

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

/** What a delegate's browser sends: `choice` 0 yes, 1 no, 2 abstain, encrypted to the vote's key. */
async function castEncrypted(request: APIRequestContext, voteId: string, publicKey: string, choice: number) {
	const me = await query<{ id: string }>(request, 'auth.me');
	const { ballot } = encryptBallot({ publicKey, voteId, voterId: me.id, options: 3, min: 1, max: 1, choice });
	return mutate<{ accepted: boolean; receipt: string }>(request, 'secretBallot.cast', { voteId, ballot });
}

async function fingerprints(page: Page): Promise<string[]> {
	return page.getByTestId('committee-members').getByTestId('fingerprint').locator('code').allTextContents();
}

test('the chair prepares, the committee keys in three browsers, and two members count (one from its file)', async ({ browser, playwright }) => {
	test.setTimeout(90_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp Ban kiểm phiếu ${Date.now().toString(36)}`, items: ['Tờ trình nhân sự'], convene: true });
	// 20 of 30 present (the quorum): the members 1–3 from their browsers, 4–20 by API (4–8 will cast).
	const members = await Promise.all(delegateNames(1, 3).map((u) => userPage(browser, u)));
	// Member 2 works on a phone.
	await members[1].page.setViewportSize({ width: 390, height: 844 });
	for (const m of members) await mutate(m.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	const others = await checkInViaApi(playwright, sittingId, delegateNames(4, 20));
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

	// The chair chooses "secret": the form prepares, with the committee picked by default.
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await live(chair.page);
	const form = chair.page.getByTestId('open-vote-form');
	await form.getByLabel('Nội dung biểu quyết').fill('Bỏ phiếu kín: thông qua tờ trình nhân sự?');
	await form.getByLabel('Bỏ phiếu kín', { exact: true }).check();
	const picker = form.getByTestId('committee-picker');
	// Member order is the order ticked: the badge says which member each is.
	for (const [i, m] of members.entries()) await expect(picker.getByRole('checkbox', { name: `${m.fullName} Thành viên ${i + 1}`, exact: true })).toBeChecked();
	await expect(picker.getByRole('checkbox', { checked: true })).toHaveCount(3);
	await expect(picker.getByLabel('Số thành viên cần để kiểm phiếu')).toHaveValue('2');
	await form.getByRole('button', { name: 'Chuẩn bị bỏ phiếu kín' }).click();
	const panel = chair.page.getByTestId('secret-setup');
	await expect(panel.getByTestId('secret-phase')).toHaveText('Ban kiểm phiếu đang lập khóa');

	// Each member finds the committee screen from their sitting page.
	for (const m of members) {
		await m.page.goto(`/sittings/${sittingId}`);
		await m.page.getByTestId('committee-link').getByRole('link', { name: 'Mở màn hình Ban kiểm phiếu' }).click();
		await expect(m.page.getByTestId('committee-phase')).toHaveText('Đang lập khóa');
	}
	const committeeUrl = members[0].page.url();

	// Step 1 in every browser; every screen then shows the same three fingerprints, the chair's too.
	for (const m of members) {
		await m.page.getByRole('button', { name: 'Tạo khóa của tôi' }).click();
		await expect(m.page.getByTestId('step-key')).toHaveAttribute('data-state', 'done');
	}
	await expect(panel.getByTestId('fingerprint').locator('code')).toHaveCount(3);
	const shown = await fingerprints(chair.page);
	for (const f of shown) expect(f).toMatch(FINGERPRINT);
	expect(new Set(shown).size).toBe(3);
	for (const m of members) {
		await expect(m.page.getByTestId('fingerprint').locator('code')).toHaveCount(3);
		expect(await fingerprints(m.page)).toEqual(shown);
	}
	await expectAccessible(chair.page, 'chair console, keying');
	await expectAccessible(members[1].page, 'committee screen, keying');
	// Nothing wider than the phone (the fingerprints' table scrolls inside its card if it must).
	expect(await members[1].page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	// Step 2, then step 3 (each member's secret saved here and downloaded).
	for (const m of members) {
		await m.page.getByRole('button', { name: 'Tạo và gửi phần chia' }).click();
		await expect(m.page.getByTestId('step-deal')).toHaveAttribute('data-state', 'done');
	}
	await expect(panel.getByTestId('secret-phase')).toHaveText('Khóa đã lập xong, sẵn sàng mở');
	const files: string[] = [];
	for (const m of members) {
		const download = m.page.waitForEvent('download');
		await m.page.getByRole('button', { name: 'Nhận, kiểm tra và lưu' }).click();
		const file = await download;
		expect(file.suggestedFilename()).toMatch(/^ban-kiem-phieu-[0-9a-f]{8}-thanh-vien-\d\.json$/);
		// Kept outside the browser context (its downloads go when it closes), as the member keeps the file.
		const saved = test.info().outputPath(file.suggestedFilename());
		await file.saveAs(saved);
		files.push(saved);
		await expect(m.page.getByTestId('step-shares')).toHaveAttribute('data-state', 'done');
	}
	const file3 = JSON.parse(await readFile(files[2], 'utf8')) as { kind: string; index: number };
	expect([file3.kind, file3.index]).toEqual(['nts-secret-ballot-member', 3]);

	// The chair opens; five delegates cast ciphertexts: 3 yes, 1 no, 1 abstain.
	await panel.getByRole('button', { name: 'Mở biểu quyết kín' }).click();
	await expect(panel.getByTestId('secret-phase')).toHaveText('Đang bỏ phiếu');
	const [prepared] = await query<{ setupId: string; phase: string }[]>(chairApi, 'secretBallot.ofSitting', { sittingId });
	const setup = await query<{ voteId: string; publicKey: string }>(chairApi, 'secretBallot.setup', { setupId: prepared.setupId });
	const voteId = setup.voteId;
	const choices = [0, 0, 0, 1, 2];
	for (const [i, choice] of choices.entries()) expect((await castEncrypted(others[i], voteId, setup.publicKey, choice)).accepted).toBe(true);
	await expect(panel.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 5/20 đại biểu có mặt');

	// The chair ends casting, with the same question as an open vote's close.
	await panel.getByRole('button', { name: 'Kết thúc bỏ phiếu' }).click();
	const confirm = chair.page.getByRole('dialog', { name: 'Kết thúc bỏ phiếu?' });
	await expect(confirm).toHaveAccessibleDescription('Còn 15 đại biểu có mặt chưa biểu quyết. Kết thúc?');
	await confirm.getByRole('button', { name: 'Có, kết thúc bỏ phiếu' }).click();
	await expect(panel.getByTestId('secret-phase')).toHaveText('Đang kiểm phiếu');
	await expect(panel.getByTestId('secret-partials')).toHaveText('Đã giải mã: 0 / 2');

	// Member 1 reloads: the secret is still on this device (IndexedDB), and counts with it (no file chosen).
	const one = members[0].page;
	await one.reload();
	await expect(one.getByTestId('committee-phase')).toHaveText('Đang kiểm phiếu');
	await expect(one.getByTestId('step-count')).toHaveAttribute('data-state', 'now');
	await expect(one.getByTestId('step-count').getByText('Bí mật kiểm phiếu của bạn có trên máy này.', { exact: false })).toBeVisible();
	await one.getByRole('button', { name: 'Giải mã tổng' }).click();
	await expect(one.getByTestId('step-count')).toHaveAttribute('data-state', 'done');
	await expect(panel.getByTestId('secret-partials')).toHaveText('Đã giải mã: 1 / 2');
	await expect(chair.page.getByTestId('vote-result')).toHaveCount(0);

	// Member 3 on a fresh browser (nothing in IndexedDB): only the downloaded file can count.
	await members[2].context.close();
	const three: UserPage = await userPage(browser, members[2].username);
	await three.page.goto(committeeUrl);
	const step = three.page.getByTestId('step-count');
	await expect(step).toHaveAttribute('data-state', 'now');
	await expect(step.getByRole('button', { name: 'Giải mã tổng' })).toBeDisabled();
	await expectAccessible(three.page, 'committee screen, counting');
	await three.page.getByLabel('Tệp bí mật kiểm phiếu (nếu dùng tệp)').setInputFiles(files[2]);
	await step.getByRole('button', { name: 'Giải mã tổng' }).click();
	await expect(step).toHaveAttribute('data-state', 'done');

	// The result, on the chair's console as every vote's: 3 yes, 1 no, 1 abstain; 25 of the 30 seated did not vote.
	const result = chair.page.getByTestId('held-result').getByTestId('vote-result');
	await expect(result.getByTestId('count-yes')).toHaveText('3');
	await expect(result.getByTestId('count-no')).toHaveText('1');
	await expect(result.getByTestId('count-abstain')).toHaveText('1');
	await expect(result.getByTestId('count-not-voted')).toHaveText('25');
	await expect(chair.page.getByTestId('secret-setup')).toHaveCount(0);

	await Promise.all([chair, members[0], members[1], three].map((u) => u.context.close()));
	await Promise.all([chairApi, ...others].map((r) => r.dispose()));
});

test('a share that does not verify: the member reports it, the setup is cancelled, the chair prepares again', async ({ browser, playwright }) => {
	test.setTimeout(60_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp khiếu nại ${Date.now().toString(36)}`, items: ['Tờ trình nhân sự'], convene: true });
	const members = await Promise.all(delegateNames(1, 3).map((u) => userPage(browser, u)));
	for (const m of members) await mutate(m.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	const present = await checkInViaApi(playwright, sittingId, delegateNames(4, 20));
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await live(chair.page);
	const form = chair.page.getByTestId('open-vote-form');
	await form.getByLabel('Bỏ phiếu kín', { exact: true }).check();
	await form.getByRole('button', { name: 'Chuẩn bị bỏ phiếu kín' }).click();
	const panel = chair.page.getByTestId('secret-setup');
	await expect(panel.getByTestId('secret-phase')).toHaveText('Ban kiểm phiếu đang lập khóa');

	const [setup] = await query<{ setupId: string }[]>(chairApi, 'secretBallot.ofSitting', { sittingId });
	for (const m of members) await m.page.goto(`/sittings/${sittingId}/committee/${setup.setupId}`);
	for (const name of ['Tạo khóa của tôi', 'Tạo và gửi phần chia'])
		for (const m of members) {
			await m.page.getByRole('button', { name }).click();
			await expect(m.page.getByRole('button', { name })).toHaveCount(0);
		}
	// The share member 1 sealed to member 2 arrives altered (as a dishonest dealer or a tampered path would give it).
	await members[1].page.route('**/api/trpc/*secretBallot.shares*', async (route) => {
		const response = await route.fetch();
		const body = (await response.json()) as { result: { data: { sealed: { from: number; c: string }[] } } }[];
		const share = body[0].result.data.sealed.find((x) => x.from === 1)!;
		share.c = (share.c[0] === '0' ? '1' : '0') + share.c.slice(1);
		await route.fulfill({ response, json: body });
	});
	await members[1].page.getByRole('button', { name: 'Nhận, kiểm tra và lưu' }).click();
	await expect(members[1].page.getByTestId('committee-error')).toHaveText('Phần chia của thành viên 1 không hợp lệ.');
	await expect(members[1].page.getByTestId('step-shares')).toHaveAttribute('data-state', 'now');
	await members[1].page.getByRole('button', { name: 'Báo lỗi phần chia của thành viên 1' }).click();
	await expect(members[1].page.getByTestId('committee-phase')).toHaveText('Đã hủy');

	await expect(panel.getByTestId('secret-phase')).toHaveText('Đã hủy');
	await expect(panel.getByTestId('secret-cancelled')).toHaveText('Cuộc bỏ phiếu đã hủy: thành viên 2 báo phần chia của thành viên 1 không hợp lệ. Hãy chuẩn bị lại.');
	await panel.getByRole('button', { name: 'Chuẩn bị lại' }).click();
	await expect(form.getByLabel('Bỏ phiếu kín', { exact: true })).toBeChecked();
	await expect(form.getByTestId('committee-picker').getByRole('checkbox', { checked: true })).toHaveCount(3);
	await expect(form.getByRole('button', { name: 'Chuẩn bị bỏ phiếu kín' })).toBeEnabled();

	await Promise.all([chair, ...members].map((u) => u.context.close()));
	await Promise.all([chairApi, ...present].map((r) => r.dispose()));
});
