import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../../app/lib/server/auth/current-user';
import { loadUser } from '../../app/lib/server/auth/current-user';
import { POST as previewPost } from '../../app/routes/resolutions/preview.pdf/+server';
import { anonymous, as, db, userIdOf } from '../helpers/callers';
import { TRPCError } from '@trpc/server';
import { changedTables, checksum, clientMessage } from '../helpers/matrix/harness';
import { delegates, sittingInProgress } from '../helpers/sittings';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

const body = {
	legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;', 'Xét Tờ trình của Ủy ban nhân dân phường;'],
	articles: [
		{
			title: 'Phê duyệt kế hoạch',
			paragraphs: ['Phê duyệt kế hoạch đầu tư công năm 2027 của phường.']
		},
		{
			paragraphs: ['Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.']
		}
	],
	recipients: ['Thường trực HĐND Thành phố;', 'Lưu: VT.']
};

function pdftotext(bytes: Uint8Array): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'nq-preview-')), 'preview.pdf');
	writeFileSync(file, bytes);
	return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], {
		encoding: 'utf8'
	})
		.normalize('NFC')
		.replace(/\s+/g, ' ');
}

/** A closed vote on the sitting's submission item with `yes` of 30 in favour (20 passes). */
async function closedVote(s: Awaited<ReturnType<typeof sittingInProgress>>, yes: number) {
	const { voteId } = await s.chair.vote.open({
		sittingId: s.sittingId,
		itemId: s.itemId,
		question: 'Thông qua nghị quyết?',
		kind: 'open'
	});
	await Promise.all(delegates().map(async (u, i) => (await as(u)).vote.cast({ voteId, choice: i < yes ? 'yes' : 'no' })));
	await s.chair.vote.close({ voteId });
	return voteId;
}

async function userOf(username: string): Promise<AuthUser> {
	const user = await loadUser(db(), await userIdOf(username));
	if (!user) throw new Error(username);
	return user;
}

/** POST /resolutions/preview.pdf as the editor's form posts it, as `user` (null: not signed in). */
async function postPreview(user: AuthUser | null, draft: string, locale: 'vi' | 'en' = 'vi'): Promise<Response> {
	const form = new FormData();
	form.set('draft', draft);
	const request = new Request('http://localhost/resolutions/preview.pdf', {
		method: 'POST',
		body: form
	});
	const event = {
		request,
		url: new URL(request.url),
		locals: { user, locale, sessionToken: null },
		getClientAddress: () => '127.0.0.1',
		cookies: { set: () => {}, delete: () => {} }
	};
	return previewPost(event as unknown as Parameters<typeof previewPost>[0]);
}

/** A refusal as the client reads it (through the API's error formatter, in Vietnamese). */
async function refusal(call: Promise<unknown>, path: string) {
	try {
		await call;
	} catch (err) {
		if (!(err instanceof TRPCError)) throw err;
		return { code: err.code, message: clientMessage(err, path, 'mutation') };
	}
	throw new Error(`${path} was not refused`);
}

async function notificationsOf(username: string, kind: string) {
	return (await (await as(username)).notification.list({ limit: 50 })).items.filter((n) => n.kind === kind);
}

describe('drafting a resolution in the UI: preview, to-do list, notifications', () => {
	it('previews a draft as the chair or the secretary of its council: marked DỰ THẢO, no number, nothing stored', async () => {
		const s = await sittingInProgress(20);
		const before = await checksum();
		for (const who of ['chair.26743', 'secretary.26743']) {
			const { pdfBase64 } = await (
				await as(who)
			).resolution.preview({
				itemId: s.itemId,
				title: 'Về kế hoạch đầu tư công năm 2027',
				body
			});
			const pdf = Buffer.from(pdfBase64, 'base64');
			expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			const doc = await PDFDocument.load(pdf, { updateMetadata: false });
			expect(doc.getTitle()).toBe('Dự thảo nghị quyết');
			const text = pdftotext(pdf);
			expect(text).toContain('DỰ THẢO');
			expect(text).toContain('Mã xác thực: DỰ THẢO');
			expect(text).toContain(`/${new Date().getFullYear()}/NQ-HĐND`);
			expect(text).toContain('Về kế hoạch đầu tư công năm 2027');
			expect(text).toContain('Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;');
			expect(text).toContain('Điều 2. Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.');
			expect(text).toContain('Lưu: VT.');
		}
		expect(changedTables(before, await checksum(), ['sessions'])).toEqual([]);
	});

	it('refuses a preview to others, and bad input with a Vietnamese message, changing nothing', async () => {
		const s = await sittingInProgress(20);
		const input = { itemId: s.itemId, title: 'Về dự án', body };
		const before = await checksum();
		for (const who of ['delegate.26743.1', 'clerk.26743', 'site.26743', 'chair.26737', 'secretary.26737', 'monitor.city']) {
			await expect((await as(who)).resolution.preview(input), who).rejects.toMatchObject({
				code: 'FORBIDDEN',
				message: 'Bạn không có quyền thực hiện thao tác này.'
			});
		}
		await expect(anonymous().resolution.preview(input)).rejects.toMatchObject({
			code: 'UNAUTHORIZED'
		});
		const chair = s.chair;
		await expect(chair.resolution.preview({ ...input, itemId: s.reportId })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Chỉ soạn dự thảo nghị quyết cho nội dung là tờ trình.'
		});
		await expect(
			chair.resolution.preview({
				...input,
				itemId: '00000000-0000-4000-8000-000000000000'
			})
		).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await refusal(chair.resolution.preview({ ...input, title: '   ' }), 'resolution.preview')).toEqual({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/^Dữ liệu không hợp lệ: title: /)
		});
		expect(await refusal(chair.resolution.preview({ ...input, body: { ...body, articles: [] } }), 'resolution.preview')).toEqual({
			code: 'BAD_REQUEST',
			message: expect.stringMatching(/^Dữ liệu không hợp lệ: body\.articles: /)
		});
		// The layout prints at most 25 recipients: more is refused when drafting, not only at adoption.
		const many = {
			...body,
			recipients: Array.from({ length: 26 }, (_, i) => `Nơi nhận ${i + 1};`)
		};
		for (const path of ['preview', 'draft'] as const) {
			expect(await refusal(chair.resolution[path]({ ...input, body: many }), `resolution.${path}`)).toEqual({
				code: 'BAD_REQUEST',
				message: expect.stringMatching(/^Dữ liệu không hợp lệ: body\.recipients: /)
			});
		}
		expect(changedTables(before, await checksum(), ['sessions'])).toEqual([]);
	});

	it('serves the preview to the editor’s frame as a PDF, and says why not in the reader’s language', async () => {
		const s = await sittingInProgress(20);
		const draft = JSON.stringify({
			itemId: s.itemId,
			title: 'Về kế hoạch đầu tư công năm 2027',
			body
		});
		const ok = await postPreview(await userOf('secretary.26743'), draft);
		expect(ok.status).toBe(200);
		expect(ok.headers.get('content-type')).toBe('application/pdf');
		expect(ok.headers.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(ok.headers.get('cache-control')).toBe('private, no-store');
		expect(
			Buffer.from(await ok.arrayBuffer())
				.subarray(0, 5)
				.toString('latin1')
		).toBe('%PDF-');

		const before = await checksum();
		const refusals: [AuthUser | null, string, 'vi' | 'en', number, string][] = [
			[await userOf('delegate.26743.1'), draft, 'vi', 403, 'Bạn không có quyền thực hiện thao tác này.'],
			[await userOf('chair.26737'), draft, 'en', 403, 'You are not allowed to do this.'],
			[null, draft, 'vi', 401, 'Vui lòng đăng nhập để tiếp tục.'],
			[await userOf('chair.26743'), '{not json', 'vi', 400, 'Không đọc được dự thảo gửi lên để xem trước.'],
			[
				await userOf('chair.26743'),
				JSON.stringify({ itemId: s.reportId, title: 'X', body }),
				'vi',
				400,
				'Chỉ soạn dự thảo nghị quyết cho nội dung là tờ trình.'
			],
			[await userOf('chair.26743'), JSON.stringify({ itemId: s.itemId, title: '', body }), 'vi', 400, 'Dữ liệu không hợp lệ: title: ']
		];
		for (const [user, input, locale, status, message] of refusals) {
			const res = await postPreview(user, input, locale);
			expect([res.status, res.headers.get('content-type')], message).toEqual([status, 'text/html; charset=utf-8']);
			expect(await res.text()).toContain(message);
		}
		expect(changedTables(before, await checksum(), ['sessions'])).toEqual([]);
	});

	it('tells the chair to sign once adopted and the clerks to seal once signed, and lists it on their to-do lists', async () => {
		const s = await sittingInProgress(30);
		const secretary = await as('secretary.26743');
		const { resolutionId } = await secretary.resolution.draft({
			itemId: s.itemId,
			title: 'Về kế hoạch đầu tư công năm 2027',
			body
		});
		const clerk = await as('clerk.26743');
		const mine = async (who: Awaited<ReturnType<typeof as>>) => (await who.resolution.todo()).filter((x) => x.resolutionId === resolutionId).map((x) => x.kind);

		// A draft still waiting for its vote is nobody's task yet.
		expect(await mine(s.chair)).toEqual([]);
		const voteId = await closedVote(s, 25);
		const [adopt] = (await s.chair.resolution.todo()).filter((x) => x.resolutionId === resolutionId);
		expect(adopt).toEqual({
			kind: 'adopt',
			resolutionId,
			councilId: s.councilId,
			councilName: 'Phường Bến Thành',
			title: 'Về kế hoạch đầu tư công năm 2027',
			number: null,
			since: expect.any(String),
			link: `/resolutions/${s.councilId}#r-${resolutionId}`
		});
		expect(await mine(clerk)).toEqual([]);
		expect(await mine(secretary)).toEqual([]);
		expect(await (await as('delegate.26743.1')).resolution.todo()).toEqual([]);
		expect(await mine(await as('chair.26737'))).toEqual([]);
		expect(await notificationsOf('chair.26743', 'resolution.toSign')).toEqual([]);

		const { number } = await s.chair.resolution.adopt({ resolutionId, voteId });
		const [toSign] = await notificationsOf('chair.26743', 'resolution.toSign');
		expect(toSign).toMatchObject({
			kind: 'resolution.toSign',
			title: 'Về kế hoạch đầu tư công năm 2027',
			body: `Nghị quyết số ${number} đã được thông qua và đang chờ Chủ tịch ký số.`,
			link: `/resolutions/${s.councilId}#r-${resolutionId}`,
			councilId: s.councilId,
			readAt: null
		});
		expect(await mine(s.chair)).toEqual(['sign']);
		expect(await notificationsOf('clerk.26743', 'resolution.toSeal')).toEqual([]);
		expect(await mine(clerk)).toEqual([]);

		await s.chair.resolution.sign({ resolutionId, passphrase: 'demo' });
		expect(await mine(s.chair)).toEqual([]);
		const [toSeal] = await notificationsOf('clerk.26743', 'resolution.toSeal');
		expect(toSeal).toMatchObject({
			kind: 'resolution.toSeal',
			title: 'Về kế hoạch đầu tư công năm 2027',
			body: `Chủ tịch đã ký Nghị quyết số ${number}; đang chờ văn thư ký số cơ quan để ban hành.`,
			link: `/resolutions/${s.councilId}#r-${resolutionId}`,
			councilId: s.councilId
		});
		const [seal] = (await clerk.resolution.todo()).filter((x) => x.resolutionId === resolutionId);
		expect(seal).toMatchObject({
			kind: 'seal',
			number,
			link: `/resolutions/${s.councilId}#r-${resolutionId}`
		});

		await clerk.resolution.seal({ resolutionId, passphrase: 'demo' });
		expect(await mine(clerk)).toEqual([]);
		// Nobody else was told: not the secretary, the delegates, nor the officers of another ward.
		for (const who of ['secretary.26743', 'delegate.26743.1', 'chair.26737', 'clerk.26737']) {
			const told = (await (await as(who)).notification.list({ limit: 50 })).items.filter((n) => n.kind.startsWith('resolution.'));
			expect(told, who).toEqual([]);
		}
		expect(await notificationsOf('chair.26743', 'resolution.toSign')).toHaveLength(1);
		expect(await notificationsOf('clerk.26743', 'resolution.toSeal')).toHaveLength(1);
	});

	it('tells nobody when a step is refused (the notice is in the step’s transaction)', async () => {
		const s = await sittingInProgress(30);
		const { resolutionId } = await s.chair.resolution.draft({
			itemId: s.itemId,
			title: 'Về dự án',
			body
		});
		const failed = await closedVote(s, 10);
		await expect(s.chair.resolution.adopt({ resolutionId, voteId: failed })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
		const passed = await closedVote(s, 25);
		await s.chair.resolution.adopt({ resolutionId, voteId: passed });
		await expect(s.chair.resolution.sign({ resolutionId, passphrase: 'sai-mat-khau' })).rejects.toMatchObject({ message: 'Mật khẩu chứng thư số không đúng.' });
		const told = (await (await as('clerk.26743')).notification.list({ limit: 50 })).items.filter((n) => n.link?.endsWith(resolutionId));
		expect(told).toEqual([]);
		expect((await (await as('chair.26743')).notification.list({ limit: 50 })).items.filter((n) => n.link?.endsWith(resolutionId)).map((n) => n.kind)).toEqual([
			'resolution.toSign'
		]);
	});
});
