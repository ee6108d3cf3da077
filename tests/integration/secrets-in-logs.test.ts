import { createHash, randomUUID } from 'node:crypto';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../app/lib/server/auth/password';
import type { LocalLiveKit } from '../../media/local-livekit';
import { ParticipantBot } from '../../media/testing/participant-bot';
import { councilIdOf, db, userIdOf } from '../helpers/callers';
import { freePort, startAppServer, type AppServer } from '../helpers/app-server';
import { startTestLiveKit } from '../helpers/livekit';
import { HttpClient } from '../helpers/http-client';
import { delegates } from '../helpers/sittings';
import { leaks, recordResponses } from '../helpers/security/recorder';

// A whole working day over real HTTP against the real app process, with every secret set to a value that
// cannot occur by chance; then neither the process's output (its JSON logs) nor any response may hold one.

const LIVEKIT_API_KEY = 'APIkeyQ7Zx3Lw9';
const LIVEKIT_API_SECRET = 'LkSecret-Vx93-Rq7Tz-Wm28-Hn46-Pb51-Zc80';
const SERVER_SECRET = 'ServerSecret-Ks72-Jd39-Qa15-Xe88-Mv03';
const CA_KEY_SECRET = 'CaKeySecret-Tm64-Ur27-Lo93-Yi41';
const PASSWORD = 'Mat-Khau-Demo-9x7'; // every account's password, and (DEMO_PASSWORD) the certificates' passphrase
const WRONG_PASSWORD = 'Sai-Mat-Khau-Qz81';
const WRONG_PASSPHRASE = 'Sai-Passphrase-Wk56';
const FORGED_SECRET = 'Forged-Secret-Bn47-Gh92-Ty30-Ee19';

const CODE = '26743';
const STAFF = ['admin', `chair.${CODE}`, `secretary.${CODE}`, `clerk.${CODE}`];

let livekit: LocalLiveKit;
let app: AppServer;
let recorder: ReturnType<typeof recordResponses>;
const sessionTokens = new Set<string>();

beforeAll(async () => {
	// A real LiveKit with the distinctive key and secret, sending its own signed webhooks to the app.
	const port = await freePort();
	livekit = await startTestLiveKit({ apiKey: LIVEKIT_API_KEY, apiSecret: LIVEKIT_API_SECRET, webhookUrls: [`http://127.0.0.1:${port}/api/livekit/webhook`] });
	// The accounts used below get the distinctive password (the template database has the default one).
	const hash = await hashPassword(PASSWORD);
	await db()
		.updateTable('users')
		.set({ password_hash: hash })
		.where('username', 'in', [...STAFF, ...delegates(CODE)])
		.execute();
	app = await startAppServer({
		databaseUrl: process.env.DATABASE_URL!,
		port,
		env: { LIVEKIT_URL: livekit.url, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, SERVER_SECRET, CA_KEY_SECRET, DEMO: '1', DEMO_PASSWORD: PASSWORD, DEBUG: '1' }
	});
	recorder = recordResponses();
});
afterAll(async () => {
	recorder?.restore();
	await app?.stop();
	await livekit?.stop();
});

async function login(username: string, password = PASSWORD): Promise<HttpClient> {
	const c = new HttpClient(app.url);
	await c.login(username, password);
	sessionTokens.add(c.cookie.slice('nts_session='.length));
	return c;
}

async function webhook(event: Record<string, unknown>, secret: string) {
	const body = JSON.stringify({ id: `EV_${randomUUID()}`, createdAt: String(Math.floor(Date.now() / 1000)), ...event });
	const at = new AccessToken(LIVEKIT_API_KEY, secret, { ttl: '5m' });
	at.sha256 = createHash('sha256').update(body).digest('base64');
	return fetch(`${app.url}/api/livekit/webhook`, { method: 'POST', body, headers: { 'content-type': 'application/webhook+json', authorization: await at.toJwt() } });
}

describe('no secret in logs or responses', () => {
	it('after logins, a sitting with open and secret votes, video, webhooks and a signed resolution', async () => {
		// Failed logins: a wrong password, an unknown account.
		for (const username of [`chair.${CODE}`, 'khong.ton.tai']) {
			await expect(new HttpClient(app.url).login(username, WRONG_PASSWORD)).rejects.toMatchObject({ status: 401 });
		}
		const [admin, chair, secretary, clerk] = await Promise.all(STAFF.map((u) => login(u)));
		const voters = await Promise.all(delegates(CODE).map((u) => login(u)));
		expect(sessionTokens.size).toBe(STAFF.length + voters.length);

		// Admin work: a new account with its own password.
		const newUserPassword = 'Tai-Khoan-Moi-Ph62';
		await admin.mutation('admin.createUser', { username: `moi.${Date.now()}`, fullName: 'Tài khoản mới', password: newUserPassword });

		// A sitting in progress.
		const councilId = await councilIdOf(CODE);
		const { sittingId } = await chair.mutation<{ sittingId: string }>('sitting.create', { councilId, kind: 'regular', title: 'Kỳ họp thường lệ', startsAt: new Date().toISOString() });
		await chair.mutation('sitting.addAgendaItem', { sittingId, kind: 'report', title: 'Báo cáo' });
		const { itemId } = await chair.mutation<{ itemId: string }>('sitting.addAgendaItem', { sittingId, kind: 'submission', title: 'Tờ trình dự thảo nghị quyết' });
		await chair.mutation('sitting.convene', { sittingId });
		await Promise.all(voters.map((v, i) => v.mutation('attendance.checkIn', { sittingId, mode: i % 5 ? 'hall' : 'remote' })));
		await chair.mutation('sitting.start', { sittingId });
		await chair.mutation('sitting.setCurrentItem', { sittingId, itemId });

		// Video: join tokens, the floor moving the microphones (LiveKit API calls signed with the secret).
		// (voters[1] is checked in the hall: leaving the video room does not mark them absent, as it would a remote one)
		const media = await voters[1].mutation<{ token: string; url: string }>('media.token', { roomKind: 'sitting', id: sittingId });
		const speaker = await ParticipantBot.join(media.url, media.token);
		const chairMedia = await chair.mutation<{ token: string; url: string }>('media.token', { roomKind: 'sitting', id: sittingId });
		const listener = await ParticipantBot.join(chairMedia.url, chairMedia.token);
		const { requestId } = await voters[1].mutation<{ requestId: string }>('floor.request', { sittingId });
		await chair.mutation('floor.grant', { requestId });
		await speaker.publishMicrophone(); // allowed by the server only after the app's signed permission update
		await chair.mutation('floor.end', { sittingId });
		await speaker.leave();
		await listener.leave();

		// Webhooks: a genuine one, a forged one (another secret), an unsigned one.
		const delegateId = await userIdOf(`delegate.${CODE}.30`);
		expect((await webhook({ event: 'participant_joined', room: { name: `sitting-${sittingId}` }, participant: { identity: delegateId } }, LIVEKIT_API_SECRET)).status).toBe(200);
		expect((await webhook({ event: 'participant_left', room: { name: `sitting-${sittingId}` }, participant: { identity: delegateId } }, FORGED_SECRET)).status).toBe(401);
		expect((await fetch(`${app.url}/api/livekit/webhook`, { method: 'POST', body: '{"event":"room_finished"}', headers: { 'content-type': 'application/webhook+json' } })).status).toBe(401);

		// A plaintext secret vote refused (a secret vote is prepared with its committee), then an open vote that passes.
		await expect(chair.mutation('vote.open', { sittingId, itemId, question: 'Bỏ phiếu kín?', kind: 'secret' })).rejects.toMatchObject({ status: 400 });
		const open = await chair.mutation<{ voteId: string }>('vote.open', { sittingId, itemId, question: 'Thông qua nghị quyết?', kind: 'open' });
		await Promise.all(voters.map((v) => v.mutation('vote.cast', { voteId: open.voteId, choice: 'yes', idempotencyKey: randomUUID() })));
		expect(await chair.mutation('vote.close', { voteId: open.voteId })).toMatchObject({ passed: true });
		await secretary.query('vote.result', { voteId: open.voteId });

		// A resolution: drafted, adopted, signed by the chair (a wrong passphrase first), sealed by the clerk.
		const body = { legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương;'], articles: [{ title: 'Điều 1', paragraphs: ['Thông qua kế hoạch.'] }], recipients: ['Lưu: VT.'] };
		const { resolutionId } = await secretary.mutation<{ resolutionId: string }>('resolution.draft', { itemId, title: 'Về kế hoạch năm 2027', body });
		await chair.mutation('resolution.adopt', { resolutionId, voteId: open.voteId });
		await expect(chair.mutation('resolution.sign', { resolutionId, passphrase: WRONG_PASSPHRASE })).rejects.toMatchObject({ status: 400 });
		expect(await chair.mutation('resolution.sign', { resolutionId, passphrase: PASSWORD })).toMatchObject({ status: 'signed' });
		await expect(clerk.mutation('resolution.seal', { resolutionId, passphrase: WRONG_PASSPHRASE })).rejects.toMatchObject({ status: 400 });
		expect(await clerk.mutation('resolution.seal', { resolutionId, passphrase: PASSWORD })).toMatchObject({ status: 'issued' });
		const pdf = await fetch(`${app.url}/resolutions/${resolutionId}.pdf`);
		expect(pdf.status).toBe(200);
		const verified = await fetch(`${app.url}/api/verify`, { method: 'POST', body: await pdf.arrayBuffer(), headers: { 'content-type': 'application/pdf' } });
		expect(verified.status).toBe(200);
		expect((await fetch(`${app.url}/api/verify/ca/${councilId}.pem`)).status).toBe(200);

		// Pages and the minutes, as a signed-in browser would fetch them.
		for (const path of ['/', `/resolutions/${councilId}`]) await (await fetch(`${app.url}${path}`, { headers: { cookie: chair.cookie } })).arrayBuffer();
		await secretary.query('sitting.state', { sittingId });
		await chair.mutation('auth.logout');

		// Stop the app, so everything it wrote is in the captured output.
		expect(await app.stop()).toBe(0);
		const output = app.output();
		expect(output).toContain('"level"'); // JSON logs were captured
		expect(output).toContain('Sẵn sàng');

		const secrets: Record<string, string> = {
			LIVEKIT_API_SECRET,
			SERVER_SECRET,
			CA_KEY_SECRET,
			password: PASSWORD,
			'wrong password': WRONG_PASSWORD,
			'wrong passphrase': WRONG_PASSPHRASE,
			'new user password': newUserPassword,
			'forged webhook secret': FORGED_SECRET,
			...Object.fromEntries([...sessionTokens].map((t, i) => [`session token #${i + 1}`, t]))
		};
		expect(leaks(output, secrets), 'in the app output').toEqual([]);
		expect(output).not.toMatch(/PRIVATE KEY/);
		expect(recorder.bodies.length).toBeGreaterThan(100);
		const responses = recorder.bodies.join('\n');
		expect(leaks(responses, secrets), 'in the HTTP responses').toEqual([]);
		expect(responses).not.toMatch(/PRIVATE KEY/);
		// Sanity: the scan finds what it looks for.
		expect(leaks(`x${Buffer.from(SERVER_SECRET).toString('base64')}x`, { SERVER_SECRET })).toHaveLength(1);
	});
});
