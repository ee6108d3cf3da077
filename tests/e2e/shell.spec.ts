import { expect, test } from '@playwright/test';
import { draftAfterPassingVote } from './helpers/resolution';
import { COUNCIL, councilIdOf, mutate, query, userPage } from './helpers/session';
import { prepareSitting } from './helpers/sitting';

// Issue 23, "Smaller": what every page shares — the icon the browser asks for, council names in English mode —
// and the file name a resolution's PDF saves under.

test('/favicon.ico is served and every page links an icon', async ({ page, request }) => {
	const res = await request.get('/favicon.ico');
	expect(res.status()).toBe(200);
	const bytes = await res.body();
	expect([...bytes.subarray(0, 4)]).toEqual([0, 0, 1, 0]); // an ICO file's header: reserved 0, type 1 (icon)
	await page.goto('/login');
	await expect(page.locator('link[rel="icon"][href$="favicon.ico"]')).toHaveCount(1);
	expect((await request.get(await page.locator('link[rel="icon"][type="image/svg+xml"]').getAttribute('href') ?? '')).status()).toBe(200);
});

test('in English mode the words around a council name are English; the name stays as it is', async ({ browser }) => {
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	await chair.context.addCookies([{ name: 'lang', value: 'en', url: test.info().project.use.baseURL! }]);
	const councilId = await councilIdOf(chair.request, COUNCIL);
	await chair.page.goto(`/councils/${councilId}`);
	await expect(chair.page.getByRole('heading', { level: 1 })).toHaveText('People’s Council of Phường Bến Thành');
	await expect(chair.page).toHaveTitle('Phường Bến Thành People’s Council · Digital Chamber');
	await chair.page.goto(`/resolutions/${councilId}`);
	await expect(chair.page.getByRole('heading', { level: 1 })).toHaveText('Resolutions · People’s Council of Phường Bến Thành');
	await expect(chair.page).toHaveTitle('Resolutions · Phường Bến Thành People’s Council');
	// A sitting's breadcrumb (a sitting not yet convened: the ward stays idle for the specs after this one).
	const { sittingId } = await prepareSitting(chair.request, { title: `Kỳ họp tiếng Anh ${Date.now().toString(36)}`, items: [] });
	await chair.page.goto(`/sittings/${sittingId}`);
	await expect(chair.page.locator('.crumbs a').first()).toHaveText('Phường Bến Thành People’s Council');
	await chair.context.close();
});

test('the resolution PDF keeps "Đ" in its file name, with an ASCII fallback that reads D', async ({ browser, playwright }) => {
	test.setTimeout(90_000);
	const chair = await userPage(browser, `chair.${COUNCIL}`);
	const drafted = await draftAfterPassingVote(playwright, chair.request, { title: 'Về tên tệp nghị quyết' });
	await mutate(chair.request, 'resolution.adopt', { resolutionId: drafted.resolutionId, voteId: drafted.voteId });
	const { number } = await query<{ number: string }>(chair.request, 'resolution.get', { resolutionId: drafted.resolutionId });
	expect(number).toMatch(/^\d+\/\d{4}\/NQ-HĐND$/);
	const slug = number.replaceAll('/', '-');
	const res = await chair.request.get(`/resolutions/${drafted.resolutionId}.pdf`);
	expect(res.status()).toBe(200);
	expect(res.headers()['content-disposition']).toBe(`inline; filename="nghi-quyet-${slug.replace('Đ', 'D')}.pdf"; filename*=UTF-8''nghi-quyet-${encodeURIComponent(slug)}.pdf`);

	for (const d of drafted.delegates) await d.dispose();
	// The ward is idle again for the specs after this one (the city monitor expects it so).
	await mutate(chair.request, 'sitting.close', { sittingId: drafted.sittingId });
	await chair.context.close();
});
