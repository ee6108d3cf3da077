// `npm run bench:conference`: the city-wide conference on one real LiveKit server and the app, on this machine.
// The city chair creates a conference inviting all 168 wards and opens its console in Chromium (fake camera); 168
// site participants (@livekit/rtc-node) join on the tokens the app issues to each `site.C` account, each
// publishing a small synthetic camera. Measured:
// - joins: time from the first join until the console page shows 168/168 online; join time per site; failures;
// - from a site's connection until the app's stored state shows it online (LiveKit's webhooks, or the
//   reconciliation with LiveKit's participant list when a webhook is late or dropped);
// - CPU seconds and peak RSS of LiveKit and of the app over the run;
// - bytes per second the chair's browser receives with one page of tiles on screen (adaptive stream, dynacast),
//   against a browser that requests every camera (livekit-client with both off, subscribed to all);
// - floor handovers between two sites: from conference.giveFloor until the chair's console in Chromium hears the
//   previous site's microphone stop and the new one's start (the last and first sound it plays of each; a watch-only
//   observer and the browsers' own offer/answer work break the way down). Those two sites are the real kiosk page
//   (/site/…) in Chromium (fake camera, and a microphone that plays a steady tone), so the handover runs through the
//   kiosk's own code: it opens the microphone on the server's permission event. Then more handovers started by a
//   room service of the benchmark's own, alternating the two ways MediaRoomService.handOverToSite can hand over
//   (the previous site revoked at once, or muted and revoked once the new microphone is out), in the same run.
// The sites run in BENCH_BOT_PROCESSES worker processes (bench/lib/site-bots-main.ts says why), with the native
// library's log capture off (media/testing/native-log-capture.ts): the load generator takes as little as it can of
// the CPU the server and the browser it measures share with it.
// The site processes run at a lower scheduling priority (BENCH_BOT_NICE, SiteBotFleet says why).
// Options: BENCH_SITES (168), BENCH_FPS (5), BENCH_HANDOVERS (100: the p99 of 40 would be their slowest),
// BENCH_VARIANT_HANDOVERS (80), BENCH_WINDOW_S (10), BENCH_BOT_PROCESSES (8), BENCH_BOT_NICE (10).
// Writes bench/results/conference.json.
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Page } from 'playwright-core';
import { ParticipantBot } from '../media/testing/participant-bot';
import { liveKitVersion } from '../media/local-livekit';
import { MediaRoomService } from '../media/room-service';
import { roomName, siteIdentity } from '../media/rooms';
import type { MediaConfig } from '../media/config';
import { createWebhookHandler, type MediaEvent, type WebhookHandler } from '../media/webhook';
import { buildIfStale } from '../scripts/build-if-stale';
import { freePort, startAppServer } from '../tests/helpers/app-server';
import { HttpClient } from '../tests/helpers/http-client';
import { startTestLiveKit } from '../tests/helpers/livekit';
import { ownDatabase } from '../tests/helpers/own-database';
import { until } from '../tests/helpers/until';
import { privateBuildCopy } from './lib/private-build';
import { SiteBotFleet } from './lib/site-bots';
import { machine, peakRssMiB, summary } from './lib/stats';
import { KEEP_PEER_CONNECTIONS, NOTE_SOUNDS, NOTE_NEGOTIATION_STEPS } from '../tests/helpers/peer-connections';
import { CAMERA_AT, toneWav } from './lib/browser-media';

const SITES = Number(process.env.BENCH_SITES ?? 168);
const FPS = Number(process.env.BENCH_FPS ?? 5);
const HANDOVERS = Number(process.env.BENCH_HANDOVERS ?? 100);
/** handovers comparing the two ways of MediaRoomService.handOverToSite, half each */
const VARIANT_HANDOVERS = Number(process.env.BENCH_VARIANT_HANDOVERS ?? 80);
const HANDOVER_VARIANTS = ['revokeAtOnce', 'muteThenRevoke'] as const;
const WINDOW_S = Number(process.env.BENCH_WINDOW_S ?? 10);
const JOINS_AT_ONCE = 2;
const BOT_PROCESSES = Number(process.env.BENCH_BOT_PROCESSES ?? 8);
const BOT_NICENESS = Number(process.env.BENCH_BOT_NICE ?? 10);
/** more failed handovers than this stop the benchmark */
const MAX_FAILED_HANDOVERS = 5;
/** a new speaker not heard by then, or a previous one still heard, fails the handover */
const HEARD_WITHIN_MS = 10_000;
/** the previous speaker is silent once the chair's page has heard nothing of it for this long */
const QUIET_MS = 200;
/** one handover that has not ended by then stops the benchmark, naming what it still waits for */
const HANDOVER_TIMEOUT_MS = 15_000;
/** the sites the floor passes between, joined as kiosk pages; the others are bots */
const KIOSKS = 2;
const CAMERA = { width: 160, height: 90, fps: FPS };
const root = path.resolve(import.meta.dirname, '..');
const log = (m: string) => process.stderr.write(`[bench:conference] ${m}\n`);

/**
 * The browser's own offer/answer work on a page between two moments (NOTE_NEGOTIATION_STEPS): how many times the
 * first of `steps` ran (one per renegotiation) and the milliseconds the steps took.
 */
async function sdpWork(page: Page, from: number, to: number, steps: string[]): Promise<{ negotiations: number; ms: number }> {
	const noted = await page.evaluate(() => (window as unknown as { __negotiationSteps: { what: string; start: number; end: number }[] }).__negotiationSteps);
	const within = noted.filter((step) => steps.includes(step.what) && step.start >= from && step.end <= to);
	return { negotiations: within.filter((step) => step.what === steps[0]).length, ms: within.reduce((sum, step) => sum + step.end - step.start, 0) };
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
	const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 per second)
}

interface Received {
	bytes: number;
	/** video streams (one per camera) and the frames decoded from them so far */
	videoStreams: Map<string, number>;
}

async function received(page: Page): Promise<Received> {
	const raw = await page.evaluate(async () => {
		let bytes = 0;
		const streams: [string, number][] = [];
		for (const pc of (window as unknown as { __peerConnections: RTCPeerConnection[] }).__peerConnections) {
			if (pc.connectionState === 'closed') continue;
			(await pc.getStats()).forEach((r: { type: string; id: string; kind?: string; bytesReceived?: number; framesDecoded?: number }) => {
				if (r.type === 'transport') bytes += r.bytesReceived ?? 0;
				if (r.type === 'inbound-rtp' && r.kind === 'video') streams.push([r.id, r.framesDecoded ?? 0]);
			});
		}
		return { bytes, streams };
	});
	return { bytes: raw.bytes, videoStreams: new Map(raw.streams) };
}

/** What a page receives over the window: bytes per second, and how many cameras it decodes at what frame rate. */
async function receiveRate(page: Page) {
	const first = await received(page);
	const t0 = Date.now();
	await sleep(WINDOW_S * 1000);
	const last = await received(page);
	const seconds = (Date.now() - t0) / 1000;
	const live = [...last.videoStreams].map(([id, frames]) => (frames - (first.videoStreams.get(id) ?? 0)) / seconds).filter((fps) => fps > 0);
	return {
		bytesPerSecond: Math.round((last.bytes - first.bytes) / seconds),
		camerasDecoding: live.length,
		framesPerSecondPerCamera: live.length ? Math.round((live.reduce((a, b) => a + b, 0) / live.length) * 10) / 10 : 0
	};
}

/**
 * When LiveKit applied each grant, from the call (ms): the first "updating participant permission" line of its log
 * that gives the site the microphone after the call began.
 */
function grantsApplied(permissionLines: string[], grants: { identity: string; t0: number }[]): number[] {
	const applied: { identity: string; at: number }[] = [];
	for (const line of permissionLines) {
		const entry = JSON.parse(line) as { ts: number; participant: string; permission: string };
		if (entry.permission.includes('MICROPHONE')) applied.push({ identity: entry.participant, at: entry.ts * 1000 });
	}
	return grants.flatMap(({ identity, t0 }) => {
		const first = applied.find((a) => a.identity === identity && a.at >= t0);
		return first ? [Math.round(first.at - t0)] : [];
	});
}

/**
 * An endpoint for LiveKit's webhooks beside the app's: each genuine one (checked once `verifyWith` has LiveKit's keys)
 * goes to `onEvent`.
 */
async function webhookListener(onEvent: (event: MediaEvent) => void) {
	let receive: WebhookHandler | null = null;
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', async () => {
			res.end();
			const result = await receive?.(Buffer.concat(chunks).toString('utf8'), req.headers.authorization ?? null);
			if (result?.ok) onEvent(result.event);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`,
		server,
		verifyWith: (config: MediaConfig) => void (receive = createWebhookHandler(config))
	};
}

/** A page of its own on loopback that loads livekit-client's browser build, for the every-camera client. */
async function servePlainPage(): Promise<{ url: string; server: http.Server }> {
	const script = readFileSync(path.join(root, 'node_modules/livekit-client/dist/livekit-client.umd.js'));
	const server = http.createServer((req, res) => {
		if (req.url === '/livekit-client.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
		else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>every camera</title><script src="/livekit-client.js"></script>');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, server };
}

async function main() {
	const started = Date.now();
	buildIfStale(root, log);
	log('starting PostgreSQL with demo data…');
	const database = await ownDatabase('conference', 'bench/.tmp');
	const appPort = await freePort();
	// LiveKit's own log (each webhook it sent or dropped, with its time in the queue) is kept for reading after.
	const liveKitLog = createWriteStream(path.join(root, 'bench/.tmp/conference-livekit.log'));
	// its permission changes are also kept here, for when each grant was applied (the file is written behind)
	const permissionLines: string[] = [];
	// The compared handovers' room service hears of each microphone published as the app does, from LiveKit's webhook.
	let handoverService: MediaRoomService | null = null;
	const webhooks = await webhookListener((event) => {
		if (event.kind === 'track_published' && event.track.source === 'microphone') {
			handoverService?.microphonePublished(event.room, event.participant.identity).catch((error: unknown) => log(`revocation failed: ${String(error)}`));
		}
	});
	const livekit = await startTestLiveKit({
		webhookUrls: [`http://127.0.0.1:${appPort}/api/livekit/webhook`, webhooks.url],
		log: (line) => {
			liveKitLog.write(line + '\n');
			if (line.includes('updating participant permission')) permissionLines.push(line);
		}
	});
	webhooks.verifyWith({ enabled: true, url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
	const build = privateBuildCopy(root, 'conference');
	const app = await startAppServer({
		databaseUrl: database.url,
		port: appPort,
		env: { BUILD_DIR: build.dir, LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY: livekit.apiKey, LIVEKIT_API_SECRET: livekit.apiSecret, DB_POOL_SIZE: '20' }
	});
	// The app's own log too, for a run that stops on a handover that did not end.
	const appLog = createWriteStream(path.join(root, 'bench/.tmp/conference-app.log'));
	app.process.stdout!.pipe(appLog);
	app.process.stderr!.pipe(appLog);
	// Every fake camera (the chair's, the kiosks') at the sites' size and frame rate (CAMERA_AT): the browsers on this
	// one machine take no more of its CPU than the sites' own machines would. Every fake microphone plays a steady tone,
	// as a hall's microphone does while someone speaks: Chromium's own fake microphone beeps for 20 ms twice a second
	// and, with Opus's DTX, sends next to nothing in between, so the new speaker was "heard" at the next beep.
	const hallSound = path.join(root, 'bench/.tmp/hall-microphone.wav');
	writeFileSync(hallSound, toneWav(10));
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--use-fake-ui-for-media-stream', `--use-fake-device-for-media-stream=fps=${FPS}`, `--use-file-for-fake-audio-capture=${hallSound}`, '--autoplay-policy=no-user-gesture-required']
	});
	const bots: ParticipantBot[] = [];
	const fleets: SiteBotFleet[] = [];
	try {
		const chair = new HttpClient(app.url);
		await chair.login('chair.city');
		const { conferenceId, sites } = await chair.mutation<{ conferenceId: string; sites: number }>('conference.create', { title: 'Hội nghị trực tuyến toàn thành phố (đo tải)' });
		const invited = (await chair.query<{ items: { code: string }[] }>('conference.sites', { conferenceId, perPage: 200 })).items.map((s) => s.code).slice(0, SITES);
		log(`conference ${conferenceId}: ${sites} sites invited, ${invited.length} will join`);

		// The chair's console in Chromium, tall enough that one page of tiles (16) is on screen.
		const context = await browser.newContext({ viewport: { width: 1600, height: 2400 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
		await context.addCookies([{ name: chair.cookie.split('=')[0], value: chair.cookie.split('=').slice(1).join('='), url: app.url }]);
		const page = await context.newPage();
		await page.addInitScript(KEEP_PEER_CONNECTIONS);
		await page.addInitScript(NOTE_SOUNDS);
		await page.addInitScript(NOTE_NEGOTIATION_STEPS);
		await page.addInitScript(CAMERA_AT, CAMERA);
		await page.goto(`${app.url}/conferences/${conferenceId}`);
		await page.getByText('Đã kết nối truyền hình').waitFor({ timeout: 30_000 });

		// An observer with the monitor's watch-only token: in the floor handovers it times the new microphone's way to a
		// listener (publication seen, subscribed, first frame); the handover itself is timed at the chair's page.
		const monitor = new HttpClient(app.url);
		await monitor.login('monitor.city');
		const observerAccess = await monitor.mutation<{ token: string; url: string }>('media.token', { roomKind: 'conference', id: conferenceId });
		const observer = await ParticipantBot.join(observerAccess.url, observerAccess.token, { receive: 'audio' });
		bots.push(observer);

		// Each site's operator signs in and asks the app for its token first (as kiosks do before a conference).
		log(`signing in ${invited.length} site operators…`);
		const access: { code: string; url: string; token: string }[] = [];
		const kioskCodes = invited.slice(0, KIOSKS);
		const kioskCookies = new Map<string, string>();
		const loginMs: number[] = [];
		for (let i = 0; i < invited.length; i += 4) {
			await Promise.all(
				invited.slice(i, i + 4).map(async (code) => {
					const operator = new HttpClient(app.url);
					const l0 = Date.now();
					await operator.login(`site.${code}`);
					loginMs.push(Date.now() - l0);
					if (kioskCodes.includes(code)) return void kioskCookies.set(code, operator.cookie);
					access.push({ code, ...(await operator.mutation<{ token: string; url: string }>('media.token', { roomKind: 'conference', id: conferenceId })) });
				})
			);
		}

		const cpuBefore = { livekit: cpuSeconds(livekit.process.pid!), app: cpuSeconds(app.process.pid!) };
		const onlineSince = new Map<string, number>();
		// The app's stored state (webhooks, or the reconciliation with LiveKit's list), read every 100 ms.
		let watching = true;
		const watcher = (async () => {
			while (watching) {
				const state = await chair.query<{ items: { code: string; status: string }[] }>('conference.sites', { conferenceId, perPage: 200 }).catch(() => null);
				for (const s of state?.items ?? []) if (s.status === 'online' && !onlineSince.has(s.code)) onlineSince.set(s.code, Date.now());
				await sleep(100);
			}
		})();

		log(`joining ${access.length} sites from ${BOT_PROCESSES} processes at nice ${BOT_NICENESS} (${JOINS_AT_ONCE} at a time each), camera ${CAMERA.width}×${CAMERA.height} at ${FPS} fps…`);
		const fleet = new SiteBotFleet(BOT_PROCESSES, BOT_NICENESS);
		fleets.push(fleet);
		const firstJoin = Date.now();
		await fleet.join(access, CAMERA, JOINS_AT_ONCE);
		const lastJoin = Math.max(...[...fleet.joined.values()].map((j) => j.connectedAt));
		const failed = fleet.failed;
		log(`joined ${fleet.joined.size}/${access.length} in ${((lastJoin - firstJoin) / 1000).toFixed(1)} s; the kiosks of ${kioskCodes.join(', ')}…`);
		const kioskPages = new Map<string, Page>();
		const kiosks = await Promise.all(
			kioskCodes.map(async (code) => {
				const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
				const cookie = kioskCookies.get(code)!;
				await context.addCookies([{ name: cookie.split('=')[0], value: cookie.split('=').slice(1).join('='), url: app.url }]);
				const kiosk = await context.newPage();
				await kiosk.addInitScript(NOTE_NEGOTIATION_STEPS);
				await kiosk.addInitScript(CAMERA_AT, CAMERA);
				kioskPages.set(code, kiosk);
				await kiosk.goto(`${app.url}/site/${conferenceId}`);
				await kiosk.getByText('Đã kết nối truyền hình').waitFor({ timeout: 30_000 });
				return code;
			})
		);
		const joinedCount = fleet.joined.size + kiosks.length;
		log(`${joinedCount}/${invited.length} joined; waiting for the console…`);
		const summaryText = `${joinedCount}/${sites} điểm cầu trực tuyến`;
		let consoleComplete: number | null = null;
		try {
			await page.getByText(summaryText).waitFor({ timeout: 60_000 });
			consoleComplete = Date.now();
		} catch {
			log(`the console did not show ${summaryText} within 60 s`);
		}
		await until(() => onlineSince.size >= joinedCount, 'the app has every site online', 60_000).catch(() => log('not every site is online in the app'));
		// (the benchmark's own polling stops here: it would take the CPU the measurements below are about)
		watching = false;
		await watcher;
		const lagMs = [...fleet.joined.values()].filter((j) => onlineSince.has(j.code)).map((j) => Math.max(0, onlineSince.get(j.code)! - j.connectedAt));

		// What the chair's browser receives: one page of tiles on screen, against every camera requested.
		log(`measuring the chair's received bitrate over ${WINDOW_S} s…`);
		await page.getByRole('region', { name: 'Truyền hình trực tuyến' }).first().scrollIntoViewIfNeeded();
		await sleep(3000);
		const onePage = await receiveRate(page);
		const allPage = await context.newPage();
		await allPage.addInitScript(KEEP_PEER_CONNECTIONS);
		// A plain page with livekit-client, served by the benchmark on loopback (Chromium lets only pages loaded from
		// the local network reach the loopback LiveKit).
		const plain = await servePlainPage();
		await allPage.goto(plain.url);
		// (another watch-only account: the same identity twice would push the observer out of the room)
		const secretary = new HttpClient(app.url);
		await secretary.login('secretary.city');
		const watcherAccess = await secretary.mutation<{ token: string; url: string }>('media.token', { roomKind: 'conference', id: conferenceId });
		await allPage.evaluate(async ({ url, token }) => {
			const lk = (window as unknown as { LivekitClient: typeof import('livekit-client') }).LivekitClient;
			const room = new lk.Room({ adaptiveStream: false, dynacast: false });
			await room.connect(url, token, { autoSubscribe: true });
			(window as unknown as { room: unknown }).room = room;
		}, watcherAccess);
		await until(async () => (await received(allPage)).videoStreams.size >= joinedCount, 'the every-camera page receives every camera', 60_000).catch(() => log('the every-camera page did not get every camera'));
		await sleep(3000);
		const everyTile = await receiveRate(allPage);
		await allPage.close();
		plain.server.close();

		// Floor handovers between two sites, A then B then A…
		const [codeA, codeB] = kioskCodes;
		let speaker: string | null = null;
		/** `count` handovers, each started by `give` (the app's conference.giveFloor, or a room service of the benchmark's own). */
		const handoverSeries = async (count: number, give: (code: string, i: number) => Promise<unknown>) => {
			const handoverMs: number[] = [];
			const closedMs: number[] = [];
			const observerHeardMs: number[] = [];
			const giveFloorMs: number[] = [];
			const seenMs: number[] = [];
			const subscribedMs: number[] = [];
			const firstFrameMs: number[] = [];
			const chairHeardMs: number[] = [];
			const chairRenegotiations: number[] = [];
			const chairSdpMs: number[] = [];
			const kioskSdpMs: number[] = [];
			const grants: { identity: string; t0: number }[] = [];
			// the index of each handover that ended, in the order of the figures above (a failed one has none)
			const measured: number[] = [];
			const failedHandovers: {
				handover: number;
				site: string;
				observerHeardMs: number | null;
				observerSawMicrophone: { muted: boolean } | null;
				observerStepsMs: Record<string, number>;
			}[] = [];
			for (let i = 0; i < count; i++) {
				const code = i % 2 === 0 ? codeA : codeB;
				const identity = siteIdentity(code);
				const previous = speaker ? siteIdentity(speaker) : null;
				const heardBefore = observer.audioFrom(identity);
				const t0 = Date.now();
				// The kiosk opens its microphone itself when the server's grant reaches it, and the server closes the
				// previous one: nothing here acts on the sites.
				const pending = new Set<string>();
				const done = <T>(what: string, step: Promise<T>) => (pending.add(what), step.then((value) => (pending.delete(what), value)));
				const call = done('the handover call', give(code, i).then(() => giveFloorMs.push(Date.now() - t0)));
				// The observer breaks the new speaker's way down (publication seen, subscribed, first frame); what it misses
				// leaves its figures out, the handover is timed at the chair's page.
				const heard = done(
					'the observer hears the new speaker',
					until(() => observer.audioFrom(identity) > heardBefore, 'the new speaker heard', HEARD_WITHIN_MS).then(
						() => Date.now() - t0,
						() => null
					)
				);
				// The chair's own browser (NOTE_SOUNDS): the previous speaker's last sound, and the new one's first. A
				// handover where either does not come in time failed.
				const sidOf = (site: string | null) => (site ? (observer.room.remoteParticipants.get(site)?.sid ?? '') : '');
				const atTheChair = done(
					"the chair's page: the previous speaker silent, the new one heard",
					page.evaluate(
						({ newSid, previousSid, since, within, quietMs }) =>
							new Promise<{ closed: number; heard: number } | null>((resolve) => {
								// (no function bound to a name: tsx would wrap it in a helper the page does not have)
								const sounds = (window as unknown as { __sounds: { participantSid: string; first: number | null; last: number | null; followed: boolean }[] }).__sounds;
								const timer = setInterval(() => {
									const heard = sounds.find((sound) => sound.participantSid === newSid && sound.first !== null && sound.first >= since);
									const before = sounds.filter((sound) => sound.participantSid === previousSid && sound.last !== null).at(-1);
									const silent = !before || !before.followed || Date.now() - before.last! > quietMs;
									if ((heard && silent) || Date.now() - since > within) {
										clearInterval(timer);
										resolve(heard && silent ? { heard: heard.first! - since, closed: before ? Math.max(0, before.last! - since) : 0 } : null);
									}
								}, 20);
							}),
						{ newSid: sidOf(identity), previousSid: sidOf(previous), since: t0, within: HEARD_WITHIN_MS, quietMs: QUIET_MS }
					)
				);
				const watchdog = new AbortController();
				const stuck = sleep(HANDOVER_TIMEOUT_MS, undefined, { signal: watchdog.signal }).then(() => {
					throw new Error(`handover ${i + 1} to ${code}: not within ${HANDOVER_TIMEOUT_MS} ms: ${[...pending].join(', ')}`);
				});
				stuck.catch(() => {}); // (aborted once the handover ends)
				const [heardAt, atChair] = await Promise.race([Promise.all([heard, atTheChair, call]), stuck]).finally(() => watchdog.abort());
				const heardSteps = observer.microphoneSteps.get(identity);
				if (atChair === null) {
					const steps = Object.fromEntries(Object.entries(heardSteps ?? {}).map(([step, at]) => [step, at - t0]));
					failedHandovers.push({ handover: i + 1, site: code, observerHeardMs: heardAt, observerSawMicrophone: observer.microphoneOf(identity), observerStepsMs: steps });
					log(`handover ${i + 1} to ${code}: the chair's page did not hear the new speaker, or still heard the previous one, within ${HEARD_WITHIN_MS} ms (${JSON.stringify(failedHandovers.at(-1))})`);
					if (failedHandovers.length > MAX_FAILED_HANDOVERS) throw new Error(`more than ${MAX_FAILED_HANDOVERS} handovers failed`);
				} else {
					const { closed: closedAt, heard: chairHeardAt } = atChair;
					const end = t0 + chairHeardAt;
					const chairWork = await sdpWork(page, t0, end, ['setRemoteDescription offer', 'createAnswer', 'setLocalDescription answer']);
					const kioskWork = await sdpWork(kioskPages.get(code)!, t0, end, ['createOffer', 'setLocalDescription offer', 'setRemoteDescription answer']);
					chairRenegotiations.push(chairWork.negotiations);
					chairSdpMs.push(chairWork.ms);
					kioskSdpMs.push(kioskWork.ms);
					log(`handover ${i + 1} to ${code}: previous closed ${closedAt} ms, new speaker heard by the chair's page ${chairHeardAt} ms (after ${chairWork.negotiations} renegotiations there, ${chairWork.ms} ms of its own SDP work; ${kioskWork.ms} ms at the kiosk), by the observer ${heardAt} ms`);
					if (previous) closedMs.push(closedAt);
					chairHeardMs.push(chairHeardAt);
					if (heardAt !== null) observerHeardMs.push(heardAt);
					if (heardSteps?.published) seenMs.push(heardSteps.published - t0);
					if (heardSteps?.subscribed) subscribedMs.push(heardSteps.subscribed - t0);
					if (heardSteps?.firstFrame) firstFrameMs.push(heardSteps.firstFrame - t0);
					handoverMs.push(Math.max(closedAt, chairHeardAt));
					grants.push({ identity, t0 });
					measured.push(i);
				}
				speaker = code;
				await sleep(500);
			}
			return { handoverMs, closedMs, observerHeardMs, giveFloorMs, seenMs, subscribedMs, firstFrameMs, chairHeardMs, chairRenegotiations, chairSdpMs, kioskSdpMs, grants, measured, failedHandovers };
		};
		log(`${HANDOVERS} floor handovers…`);
		const { handoverMs, closedMs, observerHeardMs, giveFloorMs, seenMs, subscribedMs, firstFrameMs, chairHeardMs, chairRenegotiations, chairSdpMs, kioskSdpMs, grants, failedHandovers } =
			await handoverSeries(HANDOVERS, (code) => chair.mutation('conference.giveFloor', { conferenceId, siteCode: code }));

		// The two ways of handing over (MediaRoomService.handOverToSite) in this same run, alternating in pairs (A then
		// B each way), started by a room service of the benchmark's own, which LiveKit's webhooks reach as well.
		log(`${VARIANT_HANDOVERS} handovers alternating ${HANDOVER_VARIANTS.join(' / ')}…`);
		const room = roomName('conference', conferenceId);
		handoverService = new MediaRoomService({ enabled: true, url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret });
		await handoverService.handOverToSite(room, siteIdentity(speaker!)); // (it holds the floor already: this service's record of it)
		const variantOf = (i: number) => HANDOVER_VARIANTS[Math.floor(i / 2) % 2];
		const series = await handoverSeries(VARIANT_HANDOVERS, (code, i) => handoverService!.handOverToSite(room, siteIdentity(code), { revokeAtOnce: variantOf(i) === 'revokeAtOnce' }));
		// (every handover of this series has a previous speaker, so each figure below has one entry per ended handover)
		const byVariant = (variant: (typeof HANDOVER_VARIANTS)[number], values: number[]) => summary(values.filter((_, k) => variantOf(series.measured[k]) === variant));
		if (series.failedHandovers.length > 0) log(`${series.failedHandovers.length} of the compared handovers failed`);
		const handoverVariants = {
			handovers: VARIANT_HANDOVERS,
			failed: series.failedHandovers.length,
			...Object.fromEntries(
				HANDOVER_VARIANTS.map((variant) => [
					variant,
					{
						totalMs: byVariant(variant, series.handoverMs),
						previousClosedMs: byVariant(variant, series.closedMs),
						chairPageHeardMs: byVariant(variant, series.chairHeardMs),
						chairRenegotiations: byVariant(variant, series.chairRenegotiations),
						chairSdpWorkMs: byVariant(variant, series.chairSdpMs)
					}
				])
			)
		};

		const cpu = { livekit: cpuSeconds(livekit.process.pid!) - cpuBefore.livekit, app: cpuSeconds(app.process.pid!) - cpuBefore.app };
		const handover = summary(handoverMs);
		const grantAppliedMs = grantsApplied(permissionLines, grants);
		const result = {
			benchmark: 'bench:conference',
			at: new Date().toISOString(),
			machine: await machine(),
			liveKit: liveKitVersion(),
			setup: { sites: invited.length, camera: CAMERA, kiosks: KIOSKS, botProcesses: BOT_PROCESSES, botNiceness: BOT_NICENESS, joinsAtOncePerProcess: JOINS_AT_ONCE, chairViewport: '1600×2400 (one page of 16 tiles on screen)', windowSeconds: WINDOW_S },
			joins: {
				joined: joinedCount,
				failed,
				// the bots' connect → connected (signalling and ICE); the operator's login before it; the camera after it
				joinMs: summary([...fleet.joined.values()].map((j) => j.joinMs)),
				loginMs: summary(loginMs),
				publishCameraMs: summary([...fleet.joined.values()].map((j) => j.publishMs)),
				firstToLastJoinSeconds: Math.round((lastJoin - firstJoin) / 100) / 10,
				firstJoinToConsoleCompleteSeconds: consoleComplete ? Math.round((consoleComplete - firstJoin) / 100) / 10 : null,
				lastJoinToConsoleCompleteSeconds: consoleComplete ? Math.round((consoleComplete - lastJoin) / 100) / 10 : null
			},
			// a site's connection → the app's stored state online (LiveKit's webhook, or the reconciliation with its list)
			connectedToAppStateMs: summary(lagMs),
			chairReceive: {
				onePageVisible: onePage,
				everyCameraRequested: everyTile,
				ratio: Math.round((onePage.bytesPerSecond / everyTile.bytesPerSecond) * 1000) / 1000
			},
			// total: conference.giveFloor called → the chair's own browser hears the previous site stop (its last sound)
			// and the new one start (its first sound); the new microphone's way at the watch-only observer; the API
			// call's own answer
			floorHandover: {
				handovers: HANDOVERS,
				failed: failedHandovers,
				totalMs: handover,
				previousClosedMs: summary(closedMs),
				chairPageHeardMs: summary(chairHeardMs),
				// on the way, the browsers' own offer/answer work: the chair's page renegotiates what it receives (the
				// previous microphone gone, the new one come), the kiosk its publication
				chairRenegotiations: summary(chairRenegotiations),
				chairSdpWorkMs: summary(chairSdpMs),
				kioskSdpWorkMs: summary(kioskSdpMs),
				observerHeardMs: summary(observerHeardMs),
				giveFloorCallMs: summary(giveFloorMs),
				// the grant applied by LiveKit (its log: the permission that adds the microphone), from the call
				grantAppliedMs: summary(grantAppliedMs),
				// the new speaker's microphone at the observer, from the call: the publication seen (the grant reached the
				// kiosk, which opened its microphone and published it), the subscription answered, the first frame
				publicationSeenMs: summary(seenMs),
				subscribedMs: summary(subscribedMs),
				firstAudioFrameMs: summary(firstFrameMs)
			},
			// the same way (giveFloor → the chair's page), started by the benchmark's own room service, the previous
			// site revoked at once or muted and revoked once the new microphone is out, alternating in pairs
			floorHandoverVariants: handoverVariants,
			resources: {
				cpuSeconds: { livekit: Math.round(cpu.livekit * 10) / 10, app: Math.round(cpu.app * 10) / 10, overSeconds: Math.round((Date.now() - firstJoin) / 1000) },
				peakRssMiB: { livekit: await peakRssMiB(livekit.process.pid!), app: await peakRssMiB(app.process.pid!) }
			},
			targets: {
				allOnline: joinedCount === SITES && onlineSince.size >= SITES,
				noFailedJoins: failed.length === 0,
				consoleWithin30sOfLastJoin: consoleComplete !== null && consoleComplete - lastJoin <= 30_000,
				handoverP99Within1s: handover.p99 <= 1000 && failedHandovers.length === 0,
				onePageAtMostAThird: onePage.bytesPerSecond <= everyTile.bytesPerSecond / 3
			},
			durationSec: Math.round((Date.now() - started) / 1000)
		};
		mkdirSync(path.join(root, 'bench/results'), { recursive: true });
		writeFileSync(path.join(root, 'bench/results/conference.json'), JSON.stringify(result, null, 2) + '\n');
		process.stdout.write(JSON.stringify(result, null, 2) + '\n');
	} finally {
		// (a participant whose native library no longer answers must not keep the benchmark from reporting)
		await Promise.all(bots.map((bot) => Promise.race([bot.leave().catch(() => {}), sleep(5000)])));
		await Promise.all(fleets.map((fleet) => fleet.close()));
		await browser.close();
		await app.stop();
		await livekit.stop();
		webhooks.server.close();
		liveKitLog.end();
		await database.stop();
		build.remove();
	}
}

main().then(
	() => process.exit(0),
	(err) => {
		console.error(err);
		process.exit(1);
	}
);
