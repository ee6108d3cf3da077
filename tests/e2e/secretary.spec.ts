import { expect, test, type Locator, type Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { COUNCIL, OTHER_COUNCIL, apiUser, delegateNames, mutate, query, userPage } from './helpers/session';
import { checkInViaApi, openVoteId, prepareSitting } from './helpers/sitting';

// Issues 23 and 20: the secretary's screen puts the documents before the 30-row register and marks everyone
// present in one confirmed step (every screen follows); the sitting page links the minutes of the votes once a
// vote has ended; a link to another sitting on the same screen never shows the sitting before.

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

async function top(locator: Locator): Promise<number> {
	const box = await locator.boundingBox();
	if (!box) throw new Error('not laid out');
	return box.y;
}

async function smallPdf(): Promise<Buffer> {
	const doc = await PDFDocument.create();
	doc.addPage([595, 842]).drawText('Bao cao', { x: 50, y: 780, size: 14 });
	return Buffer.from(await doc.save());
}

interface Attendance {
	username: string;
	userId: string;
	status: string | null;
}

async function attendanceOf(request: Parameters<typeof query>[0], sittingId: string): Promise<Attendance[]> {
	return (await query<{ attendance: Attendance[] }>(request, 'sitting.get', { sittingId })).attendance;
}

/** Opens and closes the sitting, so the ward is idle again for the specs after this one (the city monitor). */
async function finish(chairApi: Parameters<typeof mutate>[0], sittingId: string) {
	await mutate(chairApi, 'attendance.markAllPresent', { sittingId });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.close', { sittingId });
}

test('documents come before the register, and “mark everyone present” asks with the count; every screen follows', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId } = await prepareSitting(chairApi, { title: `Kỳ họp điểm danh ${Date.now().toString(36)}`, items: ['Báo cáo công tác quý IV'] });
	const secretary = await userPage(browser, `secretary.${COUNCIL}`);
	const page = secretary.page;
	await page.goto(`/sittings/${sittingId}/secretary`);
	await live(page);

	// A draft: convening is the chair's, and the secretary's screen says so where one would look for it.
	const note = page.getByTestId('chair-convenes');
	await expect(note).toHaveText('ⓘ Chủ tọa triệu tập kỳ họp trên màn hình Điều hành (chủ tọa); điểm danh mở sau khi triệu tập.');
	await expect(page.getByRole('button', { name: 'Đánh dấu tất cả có mặt' })).toBeDisabled();

	// The documents (upload, then the list) are above the register, which is last.
	await page.getByLabel('Tệp PDF').setInputFiles({ name: 'bao-cao.pdf', mimeType: 'application/pdf', buffer: await smallPdf() });
	await page.getByLabel('Tiêu đề tài liệu').fill('Báo cáo quý IV');
	await page.getByRole('button', { name: 'Tải lên' }).click();
	await expect(page.getByTestId('documents')).toContainText('Báo cáo quý IV');
	const upload = await top(page.getByRole('heading', { name: 'Tải lên tài liệu (PDF, tối đa 20 MB)' }));
	const list = await top(page.getByTestId('documents'));
	const register = await top(page.getByRole('heading', { name: 'Bảng điểm danh' }));
	expect(upload).toBeLessThan(list);
	expect(list).toBeLessThan(register);
	expect(await top(page.getByTestId('attendance-table'))).toBeGreaterThan(register);

	// Convened by the chair: the note goes, live. 11 check in on their phones, 1 is excused: 18 remain.
	await mutate(chairApi, 'sitting.convene', { sittingId });
	await expect(page.getByTestId('sitting-status')).toContainText('Đã triệu tập');
	await expect(note).toHaveCount(0);
	await checkInViaApi(playwright, sittingId, delegateNames(1, 11));
	const excused = (await attendanceOf(chairApi, sittingId)).find((a) => a.username === `delegate.${COUNCIL}.12`)!;
	await mutate(secretary.request, 'attendance.mark', { sittingId, delegateId: excused.userId, status: 'absent_excused', reason: 'Đi công tác' });
	const quorumText = page.getByTestId('quorum-text');
	await expect(quorumText).toHaveText(/^\s*⚠\s*Chưa đủ số đại biểu tham dự \(11\/30, cần tối thiểu 20\)/);

	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const display = await userPage(browser, `delegate.${COUNCIL}.1`);
	await chair.page.goto(`/sittings/${sittingId}/chair`);
	await display.page.goto(`/sittings/${sittingId}/display`);
	for (const p of [chair.page, display.page]) {
		await live(p);
		await expect(p.getByTestId('quorum-text')).toHaveText(/^\s*⚠\s*Chưa đủ số đại biểu tham dự \(11\/30, cần tối thiểu 20\)/);
	}

	// Asked first, with the count; "no" changes nothing.
	const markAll = page.getByRole('button', { name: 'Đánh dấu tất cả có mặt' });
	await markAll.click();
	const dialog = page.getByRole('dialog', { name: 'Đánh dấu tất cả có mặt?' });
	await expect(dialog.locator('p')).toHaveText('Đánh dấu 18 đại biểu còn lại là có mặt?');
	await dialog.getByRole('button', { name: 'Không, quay lại' }).click();
	await expect(dialog).toBeHidden();
	expect((await attendanceOf(chairApi, sittingId)).filter((a) => a.status === null)).toHaveLength(18);

	await markAll.click();
	await expect(dialog.locator('p')).toHaveText('Đánh dấu 18 đại biểu còn lại là có mặt?');
	await dialog.getByRole('button', { name: 'Có, đánh dấu có mặt' }).click();
	await expect(page.getByRole('status').filter({ hasText: 'Đã đánh dấu' })).toHaveText('Đã đánh dấu 18 đại biểu có mặt.');

	// Every row present but the excused delegate, whose record is kept; the quorum figure on every screen.
	const rows = page.getByTestId('attendance-table').locator('tbody tr');
	await expect(rows).toHaveCount(30);
	const statuses = await rows.locator('td:nth-child(3) .badge').allTextContents();
	const expected = Array.from({ length: 30 }, (_, i) => (i === 11 ? 'Vắng có lý do' : 'Có mặt tại hội trường'));
	expect(statuses.map((s) => s.replace(/^[✔✕?]\s*/, '').trim())).toEqual(expected);
	for (const p of [page, chair.page, display.page]) {
		await expect(p.getByTestId('quorum-text')).toHaveText(/^\s*✔\s*Đủ số đại biểu tham dự \(29\/30, cần tối thiểu 20\)/);
	}
	await expect(markAll).toBeDisabled();
	expect((await attendanceOf(chairApi, sittingId)).map((a) => a.status).sort()).toEqual([...Array(29).fill('present_hall'), 'absent_excused'].sort());

	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.close', { sittingId });
	await Promise.all([secretary, chair, display].map((u) => u.context.close()));
	await chairApi.dispose();
});

test('the sitting page links the minutes of the votes once a vote has ended, for its readers', async ({ browser, playwright }) => {
	test.setTimeout(90_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp biên bản ${Date.now().toString(36)}`, items: ['Tờ trình về chỉnh trang đô thị'], convene: true });
	const voters = await checkInViaApi(playwright, sittingId, delegateNames(1, 20));
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await delegate.page.goto(`/sittings/${sittingId}`);
	await live(delegate.page);
	const pdfLink = delegate.page.getByRole('link', { name: 'Biên bản biểu quyết (PDF)' });
	const csvLink = delegate.page.getByRole('link', { name: 'Biên bản biểu quyết (CSV)' });
	await expect(delegate.page.getByTestId('minutes')).toHaveCount(0);

	await mutate(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua tờ trình?', kind: 'open', rule: 'majority' });
	const voteId = await openVoteId(chairApi, sittingId);
	await Promise.all(voters.slice(1, 15).map((v) => mutate(v, 'vote.cast', { voteId, choice: 'yes' })));
	await expect(delegate.page.getByTestId('vote-question')).toBeVisible();
	await expect(delegate.page.getByTestId('minutes')).toHaveCount(0);

	// Closed: the links appear without a reload, and stay after one (the page's load says the minutes exist).
	await mutate(chairApi, 'vote.close', { voteId });
	await expect(pdfLink).toBeVisible();
	await expect(csvLink).toBeVisible();
	await delegate.page.reload();
	await live(delegate.page);
	await expect(pdfLink).toHaveAttribute('href', `/api/minutes/${sittingId}/minutes.pdf`);
	await expect(csvLink).toHaveAttribute('href', `/api/minutes/${sittingId}/minutes.csv`);

	const pdf = await delegate.request.get((await pdfLink.getAttribute('href'))!);
	expect(pdf.status()).toBe(200);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
	const csv = await delegate.request.get((await csvLink.getAttribute('href'))!);
	expect(csv.status()).toBe(200);
	expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
	expect(await csv.text()).toContain('Thông qua tờ trình?');
	// Not for another council's delegate (the route's rule: the council's readers, those this page loads for).
	const stranger = await apiUser(playwright, `delegate.${OTHER_COUNCIL}.1`);
	expect((await stranger.get(`/api/minutes/${sittingId}/minutes.pdf`)).status()).toBe(403);

	await mutate(chairApi, 'sitting.close', { sittingId });
	await Promise.all([delegate.context.close(), stranger.dispose(), chairApi.dispose(), ...voters.map((v) => v.dispose())]);
});

test('a link to another sitting on the same screen shows that sitting, live, and nothing of the one before', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const stamp = Date.now().toString(36);
	const a = await prepareSitting(chairApi, { title: `Kỳ họp A ${stamp}`, items: ['Nội dung A'], convene: true });
	const b = await prepareSitting(chairApi, { title: `Kỳ họp B ${stamp}`, items: ['Nội dung B'], convene: true });
	await checkInViaApi(playwright, a.sittingId, delegateNames(1, 5));
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const page = chair.page;
	let present = 0;

	for (const screen of ['', '/chair', '/secretary', '/display']) {
		await page.goto(`/sittings/${a.sittingId}${screen}`);
		await live(page);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(`Kỳ họp A ${stamp}`);
		// A has 5 present, and one more from each screen before (checked in below).
		await expect(page.getByTestId('quorum-text').first()).toContainText(`(${5 + present}/30,`);
		if (screen === '/secretary') await page.getByLabel('Tiêu đề tài liệu').fill('Tài liệu của kỳ họp A');
		// A link inside the app (the router takes it: same route, new data, no page load).
		await page.evaluate((href) => {
			(window as unknown as { marker: string }).marker = 'same document';
			const link = Object.assign(document.createElement('a'), { href, textContent: 'Sang kỳ họp B', id: 'to-b' });
			document.querySelector('h1')!.after(link);
		}, `/sittings/${b.sittingId}${screen}`);
		await page.locator('#to-b').click();
		await expect(page).toHaveURL(new RegExp(`/sittings/${b.sittingId}${screen}$`));
		await expect(page.getByRole('heading', { level: 1 })).toContainText(`Kỳ họp B ${stamp}`);
		expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same document');
		await expect(page).toHaveTitle(new RegExp(`Kỳ họp B ${stamp}`));
		await expect(page.getByTestId('quorum-text').first()).toContainText(`(${present}/30,`);
		if (screen === '/secretary') await expect(page.getByLabel('Tiêu đề tài liệu')).toHaveValue('');
		// The stream followed: a check-in to B shows, one to A does not.
		await live(page);
		present += 1;
		await checkInViaApi(playwright, b.sittingId, [`delegate.${COUNCIL}.${present}`]);
		await checkInViaApi(playwright, a.sittingId, [`delegate.${COUNCIL}.${10 + present}`]);
		await expect(page.getByTestId('quorum-text').first()).toContainText(`(${present}/30,`);
		expect((await query<{ present: number }>(chairApi, 'sitting.state', { sittingId: a.sittingId })).present).toBe(5 + present);
		await expect(page.getByRole('heading', { level: 1 })).toContainText(`Kỳ họp B ${stamp}`);
	}

	await chair.context.close();
	await finish(chairApi, a.sittingId);
	await finish(chairApi, b.sittingId);
	await chairApi.dispose();
});
