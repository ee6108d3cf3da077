import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Browser, type Locator, type Page, type PlaywrightWorkerArgs } from '@playwright/test';
import { encryptBallot } from '../../app/lib/secret-ballot';
import type { EncryptedSum } from '../../app/lib/secret-ballot/tally';
import { COMMITTEE, memberSecrets, partialOf, runCeremony, type Caller } from '../helpers/secret-ballot';
import { e2eDatabase } from './helpers/database';
import { COUNCIL, apiUser, delegateNames, mutate, query, userPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';

// Issue 17, the delegate's side of the encrypted secret ballot: the committee's key made in Node (as the members'
// browsers would: tests/helpers/secret-ballot.ts, over HTTP here), then two delegates vote from their browsers
// (one on a 390 px phone), one first checking their device; the committee counts in Node; the public board is
// checked in a delegate's browser, and no longer checks once a stored ballot is altered in the database.

/** A committee member's client over HTTP, shaped as the in-process caller the ceremony helpers drive. */
function httpCaller(request: APIRequestContext): Caller {
	const reads = new Set(['setup', 'shares', 'board']);
	const secretBallot = new Proxy(
		{},
		{ get: (_, name: string) => (input: unknown) => (reads.has(name) ? query(request, `secretBallot.${name}`, input) : mutate(request, `secretBallot.${name}`, input)) }
	);
	return { secretBallot } as unknown as Caller;
}

/** axe-core's WCAG 2.1 A/AA serious and critical violations, as accessibility.spec.ts gates them. */
async function expectAccessible(page: Page, what: string) {
	const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
	const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
	expect(serious, what).toEqual([]);
}

/** The chair prepares an encrypted vote with the committee (1–3); their "browsers" (Node) make its key; it is not opened yet. */
async function keyedVote(db: ReturnType<typeof e2eDatabase>, chairApi: APIRequestContext, members: APIRequestContext[], input: { sittingId: string; itemId: string; question: string; options?: unknown }) {
	const committee = await Promise.all(COMMITTEE.map(async (u) => (await db.selectFrom('users').select('id').where('username', '=', u).executeTakeFirstOrThrow()).id));
	const { setupId } = await mutate<{ setupId: string }>(chairApi, 'secretBallot.prepare', { ...input, committee });
	const callers = members.map(httpCaller);
	const ceremony = await runCeremony(setupId, callers);
	expect(ceremony.ready).toBe(true);
	const secrets = await memberSecrets(setupId, callers, ceremony.transport);
	return { setupId, secrets, publicKey: ceremony.publicKey! };
}

/** A sitting in progress on its one item: the committee (1–3) and 5–20 checked in by API, delegate 4 in a browser. */
async function oneBrowserSitting(browser: Browser, playwright: PlaywrightWorkerArgs['playwright'], title: string, item: string) {
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title, items: [item], convene: true });
	const members = await checkInViaApi(playwright, sittingId, COMMITTEE);
	await checkInViaApi(playwright, sittingId, delegateNames(5, 20));
	const d = await userPage(browser, `delegate.${COUNCIL}.4`);
	await mutate(d.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });
	return { chairApi, sittingId, items, members, d };
}

/** On a reviewed ballot: the device check passes, then the cast; the stored ballot, whose tracker is the receipt shown. */
async function checkDeviceThenCast(db: ReturnType<typeof e2eDatabase>, ballot: Locator, voteId: string) {
	await ballot.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
	await expect(ballot.getByTestId('device-check')).toHaveAttribute('data-ok', 'true');
	await ballot.getByRole('button', { name: 'Gửi phiếu' }).click();
	await expect(ballot.getByTestId('you-voted')).toHaveText('✔ Đã nhận phiếu kín của bạn.');
	const row = await db.selectFrom('encrypted_ballots').select(['tracker', 'ballot']).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
	await expect(ballot.getByTestId('receipt').locator('.code')).toHaveAttribute('data-receipt', row.tracker);
	return row;
}

async function live(page: Page) {
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
}

test('delegates encrypt their ballots in the browser, check their device, and verify the public board', async ({ browser, playwright }) => {
	test.setTimeout(90_000);
	const db = e2eDatabase();
	try {
		const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
		const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp bỏ phiếu kín ${Date.now().toString(36)}`, items: ['Tờ trình nhân sự'], convene: true });
		// 20 of 30 present (the quorum): the committee (1–3), 15 by API (6–20), and the two browsers (4, 5).
		const members = await checkInViaApi(playwright, sittingId, COMMITTEE);
		const others = await checkInViaApi(playwright, sittingId, delegateNames(6, 20));
		const [desk, phone] = await Promise.all([userPage(browser, `delegate.${COUNCIL}.4`), userPage(browser, `delegate.${COUNCIL}.5`)]);
		await phone.page.setViewportSize({ width: 390, height: 844 });
		for (const d of [desk, phone]) await mutate(d.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
		await mutate(chairApi, 'sitting.start', { sittingId });
		await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

		// The desk's page is open when the vote opens (the live event); the phone's page loads after (vote.get).
		await desk.page.goto(`/sittings/${sittingId}`);
		await live(desk.page);
		const { setupId, secrets, publicKey } = await keyedVote(db, chairApi, members, { sittingId, itemId: items[0].id, question: 'Bỏ phiếu kín: thông qua tờ trình nhân sự?' });
		const { voteId } = await mutate<{ voteId: string }>(chairApi, 'secretBallot.open', { setupId });
		await phone.page.goto(`/sittings/${sittingId}`);
		await live(phone.page);

		const stored = (username: string) =>
			db
				.selectFrom('encrypted_ballots as b')
				.innerJoin('users as u', 'u.id', 'b.user_id')
				.select(['b.user_id', 'b.tracker', 'b.ballot'])
				.where('b.vote_id', '=', voteId)
				.where('u.username', '=', username)
				.executeTakeFirst();

		// The desk delegate chooses, checks the device first: a test ballot that encrypts the choice, shown, not cast.
		const deskBallot = desk.page.getByTestId('ballot');
		await expect(deskBallot.getByTestId('vote-question')).toHaveText('Bỏ phiếu kín: thông qua tờ trình nhân sự?');
		await deskBallot.getByRole('button', { name: 'Tán thành', exact: true }).click();
		await expect(deskBallot.getByTestId('confirm')).toContainText('Bạn chọn: Tán thành. Gửi phiếu?');
		await deskBallot.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
		const check = deskBallot.getByTestId('device-check');
		await expect(check).toHaveAttribute('data-ok', 'true');
		await expect(check).toContainText('Thiết bị mã hóa đúng lựa chọn của bạn (Tán thành)');
		await expect(check).toBeFocused();
		const testTracker = ((await check.getByTestId('device-check-tracker').textContent()) ?? '').replace(/\s/g, '');
		expect(testTracker).toMatch(/^[0-9a-f]{64}$/);
		await check.getByText('Số ngẫu nhiên đã công bố').click();
		await expect(check.getByTestId('device-check-randomness').locator('li')).toHaveCount(3);
		expect(await stored(desk.username)).toBeUndefined();
		await expect(deskBallot.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 0/20 đại biểu có mặt');
		await expectAccessible(desk.page, 'the ballot with its device check');

		// Then casts: encrypted afresh (another tracker than the test ballot's), stored as a ciphertext for this voter.
		await deskBallot.getByRole('button', { name: 'Gửi phiếu' }).click();
		await expect(deskBallot.getByTestId('you-voted')).toHaveText('✔ Đã nhận phiếu kín của bạn.');
		await expect(deskBallot.getByTestId('you-voted')).toBeFocused();
		const deskRow = await stored(desk.username);
		expect(deskRow).toBeDefined();
		const deskReceipt = deskBallot.getByTestId('receipt').locator('.code');
		await expect(deskReceipt).toHaveAttribute('data-receipt', deskRow!.tracker);
		expect(((await deskReceipt.textContent()) ?? '').replace(/\s/g, '')).toBe(deskRow!.tracker);
		expect(deskRow!.tracker).not.toBe(testTracker);
		const deskStored = deskRow!.ballot as { voteId: string; voterId: string; options: { c1: string; c2: string }[] };
		expect(deskStored.voteId).toBe(voteId);
		expect(deskStored.voterId).toBe(deskRow!.user_id);
		expect(deskStored.options).toHaveLength(3);
		for (const o of deskStored.options) expect([o.c1, o.c2].every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
		expect(Object.keys(deskStored).sort()).toEqual(['options', 'publicKey', 'sum', 'v', 'voteId', 'voterId']);

		// The phone's delegate votes against, after checking the device too: on 390 px nothing is wider than the screen.
		const phoneBallot = phone.page.getByTestId('ballot');
		await phoneBallot.getByRole('button', { name: 'Không tán thành', exact: true }).click();
		await phoneBallot.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
		await expect(phoneBallot.getByTestId('device-check')).toContainText('Thiết bị mã hóa đúng lựa chọn của bạn (Không tán thành)');
		await phoneBallot.getByText('Số ngẫu nhiên đã công bố').click();
		expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await phoneBallot.getByRole('button', { name: 'Gửi phiếu' }).click();
		await expect(phoneBallot.getByTestId('you-voted')).toHaveText('✔ Đã nhận phiếu kín của bạn.');
		const phoneRow = await stored(phone.username);
		await expect(phoneBallot.getByTestId('receipt').locator('.code')).toHaveAttribute('data-receipt', phoneRow!.tracker);
		expect((phoneRow!.ballot as { voterId: string }).voterId).toBe(phoneRow!.user_id);
		// Nothing on the phone is wider than its screen (the 64-digit receipt wraps).
		expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
		await expectAccessible(phone.page, 'the phone with its receipt');
		// A reload knows the ballot is in (vote.get) and shows the receipt this tab kept.
		await phone.page.reload();
		await live(phone.page);
		await expect(phoneBallot.getByTestId('you-voted')).toHaveText('✔ Đã nhận phiếu kín của bạn.');
		await expect(phoneBallot.getByTestId('receipt').locator('.code')).toHaveAttribute('data-receipt', phoneRow!.tracker);

		// Five more vote yes from their own devices (the crypto core in Node, as their browsers would).
		for (const [i, request] of others.slice(0, 5).entries()) {
			const voterId = (await db.selectFrom('users').select('id').where('username', '=', `delegate.${COUNCIL}.${6 + i}`).executeTakeFirstOrThrow()).id;
			const { ballot } = encryptBallot({ options: 3, min: 1, max: 1, publicKey, voteId, voterId, choice: 0 });
			await mutate(request, 'secretBallot.cast', { voteId, ballot });
		}
		await expect(deskBallot.getByTestId('vote-count')).toHaveText('Đã biểu quyết: 7/20 đại biểu có mặt');

		// The chair closes casting; two of the three members count (partial decryptions of the sums only).
		await mutate(chairApi, 'secretBallot.closeCasting', { voteId });
		const tally = await db.selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		const sums = tally.sums as EncryptedSum[];
		for (const i of [0, 1]) await mutate(members[i], 'secretBallot.postPartial', { voteId, partial: partialOf(secrets[i], sums) });
		for (const p of [desk.page, phone.page]) await expect(p.getByTestId('vote-result').getByTestId('count-yes')).toHaveText('6');

		// The desk delegate opens the public board from the result: checked in the browser (in a worker, off the
		// page's main thread), their receipt found.
		const checker = desk.page.waitForEvent('worker');
		await desk.page.getByTestId('board-link').click();
		await expect(desk.page).toHaveURL(`/votes/${voteId}/board`);
		expect((await checker).url()).toMatch(/board-check\.worker/);
		const verdict = desk.page.getByTestId('board-verdict');
		await expect(verdict).toHaveAttribute('data-ok', 'true');
		await expect(verdict).toContainText('Kết quả đã được kiểm chứng trên thiết bị này');
		await expect(desk.page.getByTestId('board-count-0')).toHaveText('6');
		await expect(desk.page.getByTestId('board-count-1')).toHaveText('1');
		await expect(desk.page.getByTestId('board-count-2')).toHaveText('0');
		await expect(desk.page.getByTestId('board-ballots')).toHaveText('Số lá phiếu: 7');
		await expect(desk.page.getByTestId('board-threshold')).toHaveText('Cần 2 trong 3 thành viên để đọc kết quả; 2 thành viên đã gửi phần giải mã.');
		await expect(desk.page.getByTestId('board-mine')).toHaveAttribute('data-found', 'true');
		await expect(desk.page.locator(`[data-tracker="${deskRow!.tracker}"]`)).toContainText('phiếu của bạn');
		// "Tìm mã phiếu của tôi": the first group of the receipt as shown, spaces and all.
		await desk.page.getByLabel('Tìm mã phiếu của tôi').fill(deskRow!.tracker.slice(0, 4) + ' ' + deskRow!.tracker.slice(4, 12));
		await expect(desk.page.getByTestId('board-trackers').locator('li')).toHaveCount(1);
		await expect(desk.page.getByTestId('board-trackers').locator('li')).toHaveAttribute('data-tracker', deskRow!.tracker);
		await expectAccessible(desk.page, 'the public board');

		// An insider swaps one ciphertext of the phone delegate's stored ballot: the board no longer checks.
		const altered = structuredClone(phoneRow!.ballot) as { options: { c1: string; c2: string }[] };
		altered.options[0].c2 = deskStored.options[0].c2;
		await db
			.updateTable('encrypted_ballots')
			.set({ ballot: JSON.stringify(altered) })
			.where('vote_id', '=', voteId)
			.where('user_id', '=', phoneRow!.user_id)
			.execute();
		await desk.page.reload();
		await expect(verdict).toHaveAttribute('data-ok', 'false');
		await expect(verdict).toContainText('Kiểm chứng KHÔNG thành công: Có lá phiếu không hợp lệ trên bảng công khai.');
		const position = (await query<{ trackers: string[] }>(desk.request, 'secretBallot.board', { voteId })).trackers.indexOf(phoneRow!.tracker) + 1;
		await expect(desk.page.getByTestId('board-verdict-detail')).toContainText(`Lá phiếu thứ ${position} trên bảng`);

		await Promise.all([desk, phone].map((u) => u.context.close()));
	} finally {
		await db.destroy();
	}
});

test('an encrypted election: the delegate picks up to k candidates, the browser encrypts one ciphertext per candidate', async ({ browser, playwright }) => {
	test.setTimeout(60_000);
	const db = e2eDatabase();
	try {
		const { chairApi, sittingId, items, members, d } = await oneBrowserSitting(browser, playwright, `Kỳ họp bầu cử ${Date.now().toString(36)}`, 'Bầu Phó Chủ tịch');
		const candidates = [
			{ id: 'c1', name: 'Nguyễn Văn An' },
			{ id: 'c2', name: 'Trần Thị Bình' },
			{ id: 'c3', name: 'Lê Văn Cường' }
		];
		const { setupId } = await keyedVote(db, chairApi, members, { sittingId, itemId: items[0].id, question: 'Bầu Phó Chủ tịch (chọn tối đa 2)', options: { candidates, maxChoices: 2 } });
		const { voteId } = await mutate<{ voteId: string }>(chairApi, 'secretBallot.open', { setupId });
		await d.page.goto(`/sittings/${sittingId}`);
		await live(d.page);

		const ballot = d.page.getByTestId('ballot');
		await ballot.getByLabel('Trần Thị Bình').check();
		await ballot.getByLabel('Nguyễn Văn An').check();
		// k = 2: the third candidate cannot be added.
		await expect(ballot.getByLabel('Lê Văn Cường')).toBeDisabled();
		await ballot.getByRole('button', { name: 'Xem lại phiếu bầu' }).click();
		await expect(ballot.getByTestId('confirm')).toContainText('Bạn chọn: Nguyễn Văn An, Trần Thị Bình. Gửi phiếu?');
		const row = await checkDeviceThenCast(db, ballot, voteId);
		expect((row.ballot as { options: unknown[] }).options).toHaveLength(3);
		await d.context.close();
	} finally {
		await db.destroy();
	}
});

test('an encrypted confidence rating: one level per person, encrypted in the browser, counted per person', async ({ browser, playwright }) => {
	test.setTimeout(60_000);
	const db = e2eDatabase();
	try {
		const { chairApi, sittingId, items, members, d } = await oneBrowserSitting(browser, playwright, `Kỳ họp lấy phiếu tín nhiệm ${Date.now().toString(36)}`, 'Lấy phiếu tín nhiệm');
		const persons = [
			{ id: 'p1', name: 'Nguyễn Văn An' },
			{ id: 'p2', name: 'Trần Thị Bình' }
		];
		const { setupId, secrets } = await keyedVote(db, chairApi, members, { sittingId, itemId: items[0].id, question: 'Lấy phiếu tín nhiệm', options: { persons } });
		const { voteId } = await mutate<{ voteId: string }>(chairApi, 'secretBallot.open', { setupId });
		await d.page.goto(`/sittings/${sittingId}`);
		await live(d.page);

		const ballot = d.page.getByTestId('ballot');
		const review = ballot.getByRole('button', { name: 'Xem lại phiếu tín nhiệm' });
		await ballot.getByRole('group', { name: 'Nguyễn Văn An' }).getByLabel('Tín nhiệm cao').check();
		// Not every person rated yet: nothing to review.
		await expect(review).toBeDisabled();
		await ballot.getByRole('group', { name: 'Trần Thị Bình' }).getByLabel('Tín nhiệm thấp').check();
		await review.click();
		await expect(ballot.getByTestId('confirm')).toContainText('Nguyễn Văn An: Tín nhiệm cao; Trần Thị Bình: Tín nhiệm thấp');
		const row = await checkDeviceThenCast(db, ballot, voteId);
		// Three ciphertexts per person, one sum proof per person.
		expect((row.ballot as { options: unknown[] }).options).toHaveLength(6);
		expect((row.ballot as { sum: unknown[] }).sum).toHaveLength(2);

		// Counted from the sums by two members: each person's levels, as this browser chose them.
		await mutate(chairApi, 'secretBallot.closeCasting', { voteId });
		const tally = await db.selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		for (const i of [0, 2]) await mutate(members[i], 'secretBallot.postPartial', { voteId, partial: partialOf(secrets[i], tally.sums as EncryptedSum[]) });
		const result = await query<{ counts: number[]; persons: { id: string; high: { count: number }; low: { count: number } }[] }>(chairApi, 'vote.result', { voteId });
		expect(result.counts).toEqual([1, 0, 0, 0, 0, 1]);
		expect(result.persons.map((p) => [p.id, p.high.count, p.low.count])).toEqual([
			['p1', 1, 0],
			['p2', 0, 1]
		]);
		await mutate(chairApi, 'sitting.close', { sittingId });
		await d.context.close();
	} finally {
		await db.destroy();
	}
});
