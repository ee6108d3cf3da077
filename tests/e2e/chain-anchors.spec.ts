import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { appRoleUrl } from '../../db/app-role';
import { createDb } from '../../db/client';
import { rewriteHistory } from '../helpers/chain-rewrite';
import { COUNCIL, apiUser, delegateNames, mutate, userPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';
import { E2E_PORT } from './video-env';

// Issue 17, "Anchors outside the database": a delegate's browser keeps the signed head of the chain at a vote's
// close; its "check the record" page says it matches, and no longer does once the history is rewritten in the
// database (ballots flipped, result patched, digest recomputed, chain re-linked, the chain's own anchors removed).

/** The e2e app's database (tests/e2e/serve.mjs: its data directory and embedded PostgreSQL), as the insider reaches it. */
function e2eDatabaseUrl(): string {
	if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
	const dataDir = path.resolve(import.meta.dirname, '../.tmp', `e2e-${E2E_PORT}`);
	const password = readFileSync(path.join(dataDir, 'secrets', 'postgres-app-password'), 'utf8').trim();
	return appRoleUrl(Number(process.env.E2E_PG_PORT ?? 54388), 'nghitruongso', password, 'nghitruongso');
}

/** The signed heads this browser kept for the sitting (IndexedDB, as chain-anchors/keep.ts stores them). */
function keptInBrowser(page: Page, sittingId: string) {
	return page.evaluate(async (id) => {
		// Never create the database here: opened before the page's first anchor, it would exist without its store,
		// and the page's own open (version 1) would then find nothing to upgrade.
		if (!(await indexedDB.databases()).some((d) => d.name === 'nts-chain-anchors')) return [];
		return new Promise<{ seq: number; hash: string; closed: string }[]>((resolve, reject) => {
			const open = indexedDB.open('nts-chain-anchors');
			open.onerror = () => reject(open.error);
			open.onsuccess = () => {
				const db = open.result;
				if (!db.objectStoreNames.contains('anchors')) return resolve([]);
				const req = db.transaction('anchors').objectStore('anchors').getAll();
				req.onsuccess = () => resolve((req.result as { sittingId: string; seq: number; hash: string; closed: string }[]).filter((a) => a.sittingId === id));
				req.onerror = () => reject(req.error);
			};
		});
	}, sittingId);
}

test('a delegate’s browser keeps the signed head at a vote’s close, and its check page sees a rewritten history', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, `chair.${COUNCIL}`);
	const { sittingId, items } = await prepareSitting(chairApi, { title: `Kỳ họp kiểm tra biên bản ${Date.now().toString(36)}`, items: ['Tờ trình về dự toán ngân sách phường năm 2027'], convene: true });
	const others = await checkInViaApi(playwright, sittingId, delegateNames(2, 20));
	const delegate = await userPage(browser, `delegate.${COUNCIL}.1`);
	await mutate(delegate.request, 'attendance.checkIn', { sittingId, mode: 'hall' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

	const { page } = delegate;
	await page.goto(`/sittings/${sittingId}`);
	await expect(page.getByTestId('connection')).toHaveAttribute('data-state', 'live');
	const { voteId } = await mutate<{ voteId: string }>(chairApi, 'vote.open', { sittingId, itemId: items[0].id, question: 'Thông qua dự toán?', kind: 'open' });
	// 17 yes (delegate 1 and 2–17), 3 no (18–20): the rewrite flips the three.
	await mutate(delegate.request, 'vote.cast', { voteId, choice: 'yes' });
	for (const [i, request] of others.entries()) await mutate(request, 'vote.cast', { voteId, choice: i < 16 ? 'yes' : 'no' });
	await mutate(chairApi, 'vote.close', { voteId });

	const { db } = createDb(e2eDatabaseUrl(), 1);
	try {
		const close = await db.selectFrom('sitting_events').select(['seq', 'hash']).where('sitting_id', '=', sittingId).where('type', '=', 'vote.closed').executeTakeFirstOrThrow();
		// The head the browser kept is exactly the chain's at the close.
		await expect.poll(() => keptInBrowser(page, sittingId)).toEqual([expect.objectContaining({ seq: Number(close.seq), hash: close.hash, closed: 'vote' })]);

		await page.getByTestId('check-record').click();
		await expect(page).toHaveURL(`/sittings/${sittingId}/check`);
		const verdict = page.getByTestId('check-verdict').locator('[data-verdict]');
		await expect(verdict).toHaveAttribute('data-verdict', 'match');
		await expect(verdict).toHaveText('Khớp: 1 đầu chuỗi đã ký mà thiết bị này lưu đều có nguyên vẹn trong chuỗi sự kiện.');
		await expect(page.getByTestId('kept-heads').locator('tbody tr')).toHaveAttribute('data-verdict', 'match');

		await rewriteHistory(db, sittingId, voteId, true);
		const now = await db.selectFrom('sitting_events').select('hash').where('sitting_id', '=', sittingId).where('seq', '=', close.seq).executeTakeFirstOrThrow();
		expect(now.hash).not.toBe(close.hash);
		await page.reload();
		await expect(verdict).toHaveAttribute('data-verdict', 'mismatch');
		await expect(verdict).toContainText(`Không khớp: đầu chuỗi đã ký #${close.seq} `);
		await expect(verdict).toContainText(`có mã băm ${close.hash.slice(0, 16)}…, nhưng dữ liệu trên máy chủ nay là ${now.hash.slice(0, 16)}…`);
		await expect(page.getByTestId('kept-heads').locator('tbody tr')).toHaveAttribute('data-verdict', 'altered');
	} finally {
		await db.destroy();
		// The ward's sitting ends, as every spec's does: the city monitor's spec expects the ward not in session.
		await mutate(chairApi, 'sitting.close', { sittingId });
	}
});
