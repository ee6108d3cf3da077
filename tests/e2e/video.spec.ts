import { readFileSync } from 'node:fs';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { VIDEO_E2E } from './video-env';
import { apiUser, councilIdOf, mutate, query, userPage, type UserPage } from './helpers/session';
import { checkInViaApi, prepareSitting } from './helpers/sitting';
import { COUNT_VIDEO_DETACHES, KEEP_PEER_CONNECTIONS } from '../helpers/peer-connections';

// Video on the real LiveKit server that the app's launcher embeds (tests/e2e/serve.mjs), with real Chromium
// clients (fake camera and microphone): what each browser receives is read from its own WebRTC statistics.
test.describe.configure({ mode: 'serial' });

interface Inbound {
	/** inbound video streams that decoded at least one frame */
	videoStreams: number;
	framesDecoded: number;
	audioPackets: number;
}

async function inbound(page: Page): Promise<Inbound> {
	return page.evaluate(async () => {
		const result = { videoStreams: 0, framesDecoded: 0, audioPackets: 0 };
		for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
			if (pc.connectionState === 'closed') continue;
			(await pc.getStats()).forEach((report: { type: string; kind?: string; framesDecoded?: number; packetsReceived?: number }) => {
				if (report.type !== 'inbound-rtp') return;
				if (report.kind === 'video' && (report.framesDecoded ?? 0) > 0) {
					result.videoStreams++;
					result.framesDecoded += report.framesDecoded ?? 0;
				}
				if (report.kind === 'audio') result.audioPackets += report.packetsReceived ?? 0;
			});
		}
		return result;
	});
}

async function videoPage(browser: Browser, username: string, path: string): Promise<UserPage> {
	const user = await userPage(browser, username);
	// Tall enough that every tile is on screen: adaptive stream receives video only for tiles a person can see.
	await user.page.setViewportSize({ width: 1280, height: 1600 });
	await user.page.addInitScript(KEEP_PEER_CONNECTIONS);
	await user.page.addInitScript(COUNT_VIDEO_DETACHES);
	await user.page.goto(path);
	return user;
}

async function joinSittingVideo(user: UserPage): Promise<void> {
	const region = user.page.getByRole('region', { name: 'Họp trực tuyến' });
	await region.getByRole('button', { name: 'Vào phòng họp trực tuyến' }).click();
	await expect(region.getByText('Đã kết nối truyền hình')).toBeVisible({ timeout: 20_000 });
	await region.scrollIntoViewIfNeeded();
}

test('a hybrid sitting: the chair, two delegates and the ward’s site see each other’s cameras; the floor opens one microphone', async ({ browser, playwright }) => {
	test.setTimeout(120_000);
	const chairApi = await apiUser(playwright, 'chair.26743');
	const { sittingId, items } = await prepareSitting(chairApi, { title: 'Kỳ họp kết hợp trực tuyến', items: ['Tờ trình'], convene: true, hybrid: true });
	const present = await checkInViaApi(playwright, sittingId, Array.from({ length: 18 }, (_, i) => `delegate.26743.${i + 3}`));
	const d1Api = await apiUser(playwright, 'delegate.26743.1');
	const d2Api = await apiUser(playwright, 'delegate.26743.2');
	for (const d of [d1Api, d2Api]) await mutate(d, 'attendance.checkIn', { sittingId, mode: 'remote' });
	await mutate(chairApi, 'sitting.start', { sittingId });
	await mutate(chairApi, 'sitting.setCurrentItem', { sittingId, itemId: items[0].id });

	const chair = await videoPage(browser, 'chair.26743', `/sittings/${sittingId}/chair`);
	const d1 = await videoPage(browser, 'delegate.26743.1', `/sittings/${sittingId}`);
	const d2 = await videoPage(browser, 'delegate.26743.2', `/sittings/${sittingId}`);
	const site = await videoPage(browser, 'site.26743', `/sittings/${sittingId}`);
	const everyone = [chair, d1, d2, site];
	for (const user of everyone) await joinSittingVideo(user);

	// Each browser decodes the three other cameras.
	for (const user of everyone) {
		await expect.poll(async () => (await inbound(user.page)).videoStreams, { timeout: 30_000, message: `${user.username} decodes 3 cameras` }).toBeGreaterThanOrEqual(3);
	}
	const before = await inbound(chair.page);
	await expect.poll(async () => (await inbound(chair.page)).framesDecoded, { message: 'frames keep arriving' }).toBeGreaterThan(before.framesDecoded);

	// Every room change below (a permission, a microphone, a speaker) re-renders the tiles; none may re-attach a
	// camera that did not change.
	const videoDetaches = () => chair.page.evaluate(() => (window as unknown as { __videoDetaches: number }).__videoDetaches);
	const detachesBefore = await videoDetaches();

	// The floor: delegate 1's page opens the microphone once the server allows it, and the others hear it.
	const { requestId } = await mutate<{ requestId: string }>(d1Api, 'floor.request', { sittingId, kind: 'speech' });
	const audioBefore = (await inbound(chair.page)).audioPackets;
	await mutate(chairApi, 'floor.grant', { requestId });
	const d1Tile = (user: UserPage) => user.page.getByRole('region', { name: 'Họp trực tuyến' }).locator('figure', { hasText: d1.fullName });
	await expect(d1Tile(chair).getByText('Micrô bật')).toBeVisible({ timeout: 10_000 });
	for (const user of [chair, d2, site]) {
		await expect.poll(async () => (await inbound(user.page)).audioPackets, { message: `${user.username} receives the speaker’s audio` }).toBeGreaterThan(user === chair ? audioBefore : 0);
	}

	// LiveKit offers the chair only the codecs livekit-client publishes (media/local-livekit.ts ENABLED_CODECS).
	const offered = await chair.page.evaluate(() =>
		(window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections.flatMap((pc) =>
			[...(pc.remoteDescription?.sdp ?? '').matchAll(/^a=rtpmap:\d+ ([^/]+)\//gm)].map((match) => match[1].toLowerCase())
		)
	);
	expect([...new Set(offered)].sort()).toEqual(['opus', 'red', 'rtx', 'vp8']);

	// floor.end: the speaker's microphone is closed on every other client within a second.
	await mutate(chairApi, 'floor.end', { sittingId });
	const ended = Date.now();
	for (const user of [chair, d2, site]) await expect(d1Tile(user).getByText('Micrô tắt')).toBeVisible({ timeout: 1000 });
	expect(Date.now() - ended).toBeLessThanOrEqual(1000 + 500); // the three checks, each bounded by 1 s from the end
	expect(await videoDetaches(), 'camera tracks taken off the chair’s tiles during the floor').toBe(detachesBefore);

	// Two more turns: each opens a new microphone, and the connection it is sent on keeps no section of the old ones.
	for (let turn = 0; turn < 2; turn++) {
		const { requestId: again } = await mutate<{ requestId: string }>(d1Api, 'floor.request', { sittingId, kind: 'speech' });
		await mutate(chairApi, 'floor.grant', { requestId: again });
		await expect(d1Tile(chair).getByText('Micrô bật')).toBeVisible({ timeout: 10_000 });
		await mutate(chairApi, 'floor.end', { sittingId });
		await expect(d1Tile(chair).getByText('Micrô tắt')).toBeVisible({ timeout: 10_000 });
	}
	const liveMicrophoneSections = () =>
		d1.page.evaluate(() =>
			(window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections
				.filter((pc) => pc.localDescription?.type === 'offer') // the sending connection (the server answers it)
				.flatMap((pc) => pc.localDescription!.sdp.split('\r\n').filter((line) => line.startsWith('m=audio ') && !line.startsWith('m=audio 0 ')))
		);
	await expect.poll(async () => (await liveMicrophoneSections()).length, { message: 'microphone sections still negotiated after three turns' }).toBeLessThanOrEqual(1);

	for (const user of everyone) await user.context.close();
	for (const ctx of [chairApi, d1Api, d2Api, ...present]) await ctx.dispose();
});

let conferencePath = '';

test('the city conference: 168 sites paged, a site’s kiosk goes online by the server’s webhooks, and offline when its browser is killed', async ({ page, playwright }) => {
	test.setTimeout(120_000);
	const chair = await apiUser(playwright, 'chair.city');
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill('chair.city');
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
	await page.goto('/conferences');
	await page.getByLabel('Tên hội nghị').fill('Hội nghị trực tuyến toàn thành phố');
	await expect(page.getByText('Mời tất cả 168 điểm cầu phường, xã, đặc khu')).toBeVisible();
	await page.getByRole('button', { name: 'Tạo hội nghị trực tuyến' }).click();
	await expect(page).toHaveURL(/\/conferences\/[0-9a-f-]{36}$/);
	conferencePath = new URL(page.url()).pathname;
	const conferenceId = conferencePath.split('/').at(-1)!;

	// The console: every invited site, 24 per page.
	const sites = page.getByRole('region', { name: 'Các điểm cầu' });
	await expect(sites.getByText('0/168 điểm cầu trực tuyến')).toBeVisible();
	await expect(sites.locator('tbody tr')).toHaveCount(24);
	await expect(sites.getByText('Trang 1/7')).toBeVisible();
	await sites.getByRole('button', { name: 'Trang sau' }).click();
	await expect(sites.getByText('Trang 2/7')).toBeVisible();
	await sites.getByRole('button', { name: 'Trang trước' }).click();

	// The chair's own page connected to the embedded LiveKit (its CSP names exactly that server).
	await expect(page.getByText('Đã kết nối truyền hình')).toBeVisible({ timeout: 20_000 });
	const csp = (await page.request.get(conferencePath)).headers()['content-security-policy'];
	const policies = csp.split(',').map((policy) => policy.trim());
	expect(policies.at(-1)).toBe(`connect-src 'self' ws://127.0.0.1:${VIDEO_E2E.port} http://127.0.0.1:${VIDEO_E2E.port}`);

	// The ward's site, in a browser of its own that can be killed like a crashed hall PC.
	const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] });
	try {
		const siteBrowser = await chromium.connect(server.wsEndpoint());
		const kiosk = await userPage(siteBrowser, 'site.26743');
		await kiosk.page.goto(`/site/${conferenceId}`);
		await expect(kiosk.page.getByText('Đã kết nối truyền hình')).toBeVisible({ timeout: 20_000 });
		// Online and camera on come from LiveKit's webhooks; the console reads them.
		const row = (code: string) => query<{ items: { code: string; status: string; cameraPublished: boolean }[] }>(chair, 'conference.sites', { conferenceId }).then((r) => r.items.find((s) => s.code === code));
		await expect.poll(() => row('26743'), { timeout: 20_000 }).toMatchObject({ status: 'online', cameraPublished: true });
		await expect(sites.getByText('1/168 điểm cầu trực tuyến')).toBeVisible({ timeout: 15_000 });

		server.process().kill('SIGKILL');
		const killed = Date.now();
		// LiveKit notices the departure (its departure timeout, 20 s by default), then its webhook marks the site offline.
		await expect.poll(() => row('26743'), { timeout: 45_000, intervals: [500] }).toMatchObject({ status: 'offline' });
		test.info().annotations.push({ type: 'offline after kill', description: `${Date.now() - killed} ms` });
		await expect(sites.getByText('0/168 điểm cầu trực tuyến')).toBeVisible({ timeout: 15_000 });
	} finally {
		await server.close().catch(() => {});
	}
	await chair.dispose();
});

test('with LiveKit stopped the page says so clearly, and the sitting’s floor and voting still work', async ({ page, playwright }) => {
	process.kill(Number(readFileSync(VIDEO_E2E.pidFile, 'utf8')), 'SIGKILL');
	await page.goto('/login');
	await page.getByLabel('Tên đăng nhập').fill('chair.city');
	await page.getByLabel('Mật khẩu').fill('demo');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Xin chào');
	await page.goto(conferencePath || '/conferences');
	await expect(page.getByText('Không kết nối được máy chủ truyền hình trực tuyến', { exact: false })).toBeVisible({ timeout: 30_000 });
	await expect(page.getByText('Không kết nối được truyền hình')).toBeVisible();

	// A ward sitting runs to a vote while video is down.
	const chair = await apiUser(playwright, 'chair.26743');
	const councilId = await councilIdOf(chair, '26743');
	const { sittingId } = await mutate<{ sittingId: string }>(chair, 'sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp thử video', startsAt: new Date().toISOString(), hybrid: true });
	const { itemId } = await mutate<{ itemId: string }>(chair, 'sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình' });
	await mutate(chair, 'sitting.convene', { sittingId });
	const delegates = await checkInViaApi(playwright, sittingId, Array.from({ length: 20 }, (_, i) => `delegate.26743.${i + 1}`), 'remote');
	await mutate(chair, 'sitting.start', { sittingId });
	await mutate(chair, 'sitting.setCurrentItem', { sittingId, itemId });

	// floor control still works (the video side logs its failure and carries on)
	const { requestId } = await mutate<{ requestId: string }>(delegates[0], 'floor.request', { sittingId, kind: 'speech' });
	const granted = await mutate<{ floor: { speaker: { requestId: string } | null } }>(chair, 'floor.grant', { requestId });
	expect(granted.floor.speaker?.requestId).toBe(requestId);
	await mutate(chair, 'floor.end', { sittingId });

	const { voteId } = await mutate<{ voteId: string }>(chair, 'vote.open', { sittingId, itemId, question: 'Thông qua tờ trình', kind: 'open' });
	for (const d of delegates.slice(0, 15)) await mutate(d, 'vote.cast', { voteId, choice: 'yes' });
	const closed = await mutate<{ yes: number; status: string }>(chair, 'vote.close', { voteId });
	expect(closed).toMatchObject({ status: 'closed', yes: 15 });
	for (const ctx of [chair, ...delegates]) await ctx.dispose();
});
