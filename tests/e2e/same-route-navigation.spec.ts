import { expect, test, type Page } from '@playwright/test';
import { apiUser, councilIdOf, mutate, query, userPage } from './helpers/session';

// A navigation between two pages of the same route (one council's drill-down to another's, one conference to
// another) keeps the page's components and hands them new data: everything shown must be the new data's, nothing
// copied once from the first page. No page links one council's drill-down (or one conference) to another, so the
// test puts such a link in the page, as any in-app link is: SvelteKit's router follows it without a reload. A
// marker left on `window` proves no document was loaded in between; back and forward then navigate by history.

const A = '27142'; // Phường Nhiêu Lộc
const B = '27259'; // Phường Xóm Chiếu

interface Row {
	name: string;
	sittings: { today: number; term: number };
	resolutions: { adopted: number; signed: number; issued: number };
	tasks: { onTime: number; overdue: number };
	petitions: { pending: number; total: number };
}

/** The drill-down's figures as the page words them. */
function facts(r: Row): string[] {
	return [
		`Kỳ họp (hôm nay/nhiệm kỳ): ${r.sittings.today}/${r.sittings.term}`,
		`Nghị quyết (TQ/ký/BH): ${r.resolutions.adopted}/${r.resolutions.signed}/${r.resolutions.issued}`,
		`Nhiệm vụ (đúng hạn/quá hạn): ${r.tasks.onTime}/${r.tasks.overdue}`,
		`Kiến nghị (chờ/tổng): ${r.petitions.pending}/${r.petitions.total}`
	];
}

/** Follows a link to `href` placed in the page, as one the app draws, and checks no document was loaded. */
async function followInAppLink(page: Page, href: string): Promise<void> {
	await page.evaluate((to) => {
		(window as unknown as { sameDocument: boolean }).sameDocument = true;
		const link = Object.assign(document.createElement('a'), { href: to, textContent: 'next' });
		link.dataset.testid = 'in-app-link';
		document.querySelector('main')!.append(link);
	}, href);
	await page.getByTestId('in-app-link').click();
	await expect(page).toHaveURL(href);
}

const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);

test('one council’s drill-down to another’s shows the other council’s name, figures, sittings and live state', async ({ browser, playwright }) => {
	const stamp = Date.now();
	const ids: Record<string, string> = {};
	const sittingTitle: Record<string, string> = {};
	// Different figures in the two wards: a sitting each (its own title), and two petitions in B against none in A.
	for (const code of [A, B]) {
		const chair = await apiUser(playwright, `chair.${code}`);
		ids[code] = await councilIdOf(chair, code);
		sittingTitle[code] = `Kỳ họp chuyên đề ${code} · ${stamp}`;
		await mutate(chair, 'sitting.create', { councilId: ids[code], kind: 'thematic', title: sittingTitle[code], startsAt: new Date().toISOString() });
		if (code === B) {
			for (const topic of ['Chiếu sáng hẻm', 'Thoát nước']) await mutate(chair, 'petition.create', { councilId: ids[code], topic, area: 'Khu phố 1', text: `Kiến nghị ${stamp}` });
		}
		await chair.dispose();
	}

	const monitor = await userPage(browser, 'monitor.city');
	const { page } = monitor;
	const row = async (code: string) => (await query<{ row: Row }>(monitor.request, 'monitor.council', { councilId: ids[code] })).row;
	const [rowA, rowB] = [await row(A), await row(B)];
	expect(facts(rowA)).not.toEqual(facts(rowB));

	const shows = async (code: string, r: Row) => {
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(r.name);
		await expect(page).toHaveTitle(`${r.name} · Bảng điều hành`);
		await expect(page.locator('ul.facts li')).toHaveText(facts(r));
		await expect(page.getByRole('cell', { name: sittingTitle[code], exact: true })).toBeVisible();
		await expect(page.getByRole('cell', { name: sittingTitle[code === A ? B : A], exact: true })).toHaveCount(0);
		await expect(page.getByRole('link', { name: 'Tải CSV' })).toHaveAttribute('href', `/monitor/${ids[code]}/export.csv`);
		// The live state follows the city stream for this council.
		await expect(page.getByTestId('monitor-connection')).toHaveText('● Trực tiếp');
	};

	await page.goto(`/monitor/${ids[A]}`);
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	await shows(A, rowA);

	await followInAppLink(page, `/monitor/${ids[B]}`);
	await shows(B, rowB);

	await page.goBack();
	await expect(page).toHaveURL(`/monitor/${ids[A]}`);
	await shows(A, rowA);
	await page.goForward();
	await expect(page).toHaveURL(`/monitor/${ids[B]}`);
	await shows(B, rowB);
	expect(await sameDocument(page)).toBe(true);

	await monitor.context.close();
});

test('one conference’s console to another’s shows the other conference: its title and its invited sites', async ({ browser, playwright }) => {
	const stamp = Date.now();
	const chair = await apiUser(playwright, 'chair.city');
	const councils = await query<{ code: string; name: string }[]>(chair, 'council.list');
	const nameOf = (code: string) => councils.find((c) => c.code === code)!.name;
	const conferences = [
		{ title: `Hội nghị giao ban quận 4 cũ · ${stamp}`, sites: ['27265', '27286'] },
		{ title: `Hội nghị giao ban quận 5 cũ · ${stamp}`, sites: ['27301'] }
	];
	const ids: string[] = [];
	for (const c of conferences) ids.push((await mutate<{ conferenceId: string }>(chair, 'conference.create', { title: c.title, siteCodes: c.sites })).conferenceId);
	await chair.dispose();

	const monitor = await userPage(browser, 'monitor.city');
	const { page } = monitor;
	const sites = page.getByRole('region', { name: 'Các điểm cầu' });
	const shows = async (i: number) => {
		await expect(page.getByRole('heading', { level: 1 })).toHaveText(conferences[i].title);
		// Each invited site by name (an offline site's name is followed by its warning).
		await expect(sites.getByRole('rowheader')).toHaveText(conferences[i].sites.map((code) => new RegExp(`^${nameOf(code).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?: ⚠|$)`)));
	};

	await page.goto(`/conferences/${ids[0]}`);
	await expect(page.locator('html')).toHaveAttribute('data-hydrated', 'true');
	await shows(0);

	await followInAppLink(page, `/conferences/${ids[1]}`);
	await shows(1);
	await page.goBack();
	await expect(page).toHaveURL(`/conferences/${ids[0]}`);
	await shows(0);
	expect(await sameDocument(page)).toBe(true);

	await monitor.context.close();
});
