import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyDocument } from '../../app/lib/server/resolutions/verify';
import { GET as caPem } from '../../app/routes/api/verify/ca/[councilId=uuid].pem/+server';
import { GET as pdfGet } from '../../app/routes/resolutions/[id=uuid].pdf/+server';
import { as, db } from '../helpers/callers';
import { delegates, eventTypes, sittingInProgress } from '../helpers/sittings';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

const body = {
	legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;', 'Xét Tờ trình của Ủy ban nhân dân phường;'],
	articles: [
		{ title: 'Phê duyệt kế hoạch', paragraphs: ['Phê duyệt kế hoạch đầu tư công năm 2027 của phường.'] },
		{ paragraphs: ['Ủy ban nhân dân phường tổ chức thực hiện Nghị quyết này.'] }
	],
	recipients: ['Thường trực HĐND Thành phố;', 'Lưu: VT.']
};

/** A closed vote on the sitting's submission item: `yes` of 30 delegates say yes (20 → passed). */
async function closedVote(s: Awaited<ReturnType<typeof sittingInProgress>>, yes: number, close = true, code = '26743') {
	const { voteId } = await s.chair.vote.open({ sittingId: s.sittingId, itemId: s.itemId, question: 'Thông qua nghị quyết?', kind: 'open' });
	await Promise.all(delegates(code).map(async (u, i) => (await as(u)).vote.cast({ voteId, choice: i < yes ? 'yes' : 'no' })));
	if (close) await s.chair.vote.close({ voteId });
	return voteId;
}

type PdfEvent = Parameters<typeof pdfGet>[0];
async function download(id: string, user: unknown = null) {
	try {
		// The route answers through `resolution.pdf` (serverCaller), which builds its context from the whole event.
		const url = new URL(`http://localhost/resolutions/${id}.pdf`);
		const event = { params: { id }, url, request: new Request(url), locals: { locale: 'vi', user, sessionToken: null }, getClientAddress: () => '127.0.0.1', cookies: { set: () => {}, delete: () => {} } };
		return await pdfGet(event as unknown as PdfEvent);
	} catch (e) {
		return { status: (e as { status: number }).status };
	}
}

async function snapshot(resolutionId: string) {
	const r = await db().selectFrom('resolutions').selectAll().where('id', '=', resolutionId).executeTakeFirstOrThrow();
	const revs = await db().selectFrom('resolution_revisions').select(['revision', 'sha256']).where('resolution_id', '=', resolutionId).orderBy('revision').execute();
	return { status: r.status, number: r.number, revs };
}

function pdfsig(bytes: Uint8Array): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'nq-'));
	const file = path.join(dir, 'nq.pdf');
	writeFileSync(file, bytes);
	try {
		return execFileSync('pdfsig', [file], { encoding: 'utf8' });
	} catch (e) {
		return String((e as { stdout?: string }).stdout ?? e);
	}
}

describe('resolutions', () => {
	it('drafts, adopts on a passing vote, is signed by the chair and sealed by the clerk, and verifies', async () => {
		const s = await sittingInProgress(30);
		const voteId = await closedVote(s, 20);
		const secretary = await as('secretary.26743');
		const { resolutionId } = await secretary.resolution.draft({ itemId: s.itemId, title: 'Về kế hoạch đầu tư công năm 2027', body });
		await secretary.resolution.update({ resolutionId, title: 'Về kế hoạch đầu tư công năm 2027 của phường' });

		const adopted = await s.chair.resolution.adopt({ resolutionId, voteId });
		expect(adopted.number).toBe(`01/${new Date().getUTCFullYear()}/NQ-HĐND`);
		await expect(secretary.resolution.update({ resolutionId, title: 'Khác' })).rejects.toMatchObject({ message: expect.stringContaining('đã được thông qua') });

		// Refusals: a delegate cannot sign; the clerk cannot seal before the chair; a wrong passphrase — nothing changes.
		const before = await snapshot(resolutionId);
		await expect((await as('delegate.26743.1')).resolution.sign({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('clerk.26743')).resolution.sign({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({
			message: expect.stringContaining('Chủ tịch HĐND chưa ký')
		});
		await expect(s.chair.resolution.sign({ resolutionId, passphrase: 'sai-mat-khau' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Mật khẩu chứng thư số không đúng.'
		});
		expect(await snapshot(resolutionId)).toEqual(before);
		expect(before.revs.map((r) => r.revision)).toEqual([0]);
		expect((await download(resolutionId)).status).toBe(401); // not public before it is issued

		expect(await s.chair.resolution.sign({ resolutionId, passphrase: 'demo' })).toMatchObject({ status: 'signed', revision: 1 });
		await expect(s.chair.resolution.sign({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
		await expect((await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'sai' })).rejects.toMatchObject({ message: 'Mật khẩu chứng thư số không đúng.' });
		expect(await (await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' })).toMatchObject({ status: 'issued', revision: 2 });

		const got = await (await as('delegate.26743.2')).resolution.get({ resolutionId });
		expect(got).toMatchObject({ status: 'issued', number: adopted.number, title: 'Về kế hoạch đầu tư công năm 2027 của phường' });
		expect(got.revisions.map((r) => r.revision)).toEqual([0, 1, 2]);
		expect((await eventTypes(s.sittingId)).filter((t) => t.startsWith('resolution.'))).toEqual(['resolution.adopted', 'resolution.signed', 'resolution.issued']);

		const pub = await download(resolutionId);
		expect(pub.status).toBe(200);
		const pem = await caPem({ params: { councilId: s.councilId }, locals: { locale: 'vi' } } as unknown as Parameters<typeof caPem>[0]);
		expect(await pem.text()).toMatch(/^-----BEGIN CERTIFICATE-----/);

		const revs = await db().selectFrom('resolution_revisions').select(['revision', 'pdf']).where('resolution_id', '=', resolutionId).orderBy('revision').execute();
		const [r1, r2] = [Buffer.from(revs[1].pdf), Buffer.from(revs[2].pdf)];
		expect(Buffer.from(await (pub as Response).arrayBuffer()).equals(r2)).toBe(true);
		expect(r2.length).toBeGreaterThan(r1.length);
		expect(r2.subarray(0, r1.length).equals(r1)).toBe(true);

		const out = pdfsig(r2);
		expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
		expect(out).toContain('Total document signed');
		const lastBlock = out.slice(out.lastIndexOf('Signature #'));
		expect(lastBlock).toContain('Total document signed');

		const report = await verifyDocument(db(), r2);
		expect(report).toMatchObject({ ok: true, registry: { matches: true, resolutionId, number: adopted.number, revision: 2 } });
		if (!report.ok) throw new Error('unreachable');
		expect(report.signatures).toHaveLength(2);
		expect(report.signatures.every((x) => x.intact && x.chainTrusted && x.problems.length === 0)).toBe(true);
		// After the seal: the DSS and the document timestamp (PAdES B-LT, B-LTA), which covers the whole file.
		expect(report.signatures[1].coversWholeDocument).toBe(false);
		expect(report.documentTimestamps.map((t) => [t.intact, t.trusted, t.coversWholeDocument])).toEqual([[true, true, true]]);

		// One flipped byte inside the signed content: modified, and no longer the archived copy.
		const tampered = Buffer.from(r2);
		const at = r1.indexOf('Điều') > 0 ? r1.indexOf('Điều') : 2000;
		tampered[at] ^= 0x01;
		const bad = await verifyDocument(db(), tampered);
		expect(bad).toMatchObject({ ok: true, registry: { matches: false } });
		if (!bad.ok) throw new Error('unreachable');
		expect(bad.signatures.some((x) => !x.intact)).toBe(true);
		expect(bad.signatures.flatMap((x) => x.problems.map((p) => p.message)).join(' ')).toMatch(/thay đổi|không hợp lệ/);

		// Hostile input: a clear refusal, not an exception.
		expect(await verifyDocument(db(), Buffer.from('not a pdf'))).toMatchObject({ ok: false, code: 'NOT_A_PDF', message: expect.stringContaining('PDF') });
		expect(await verifyDocument(db(), r2.subarray(0, 500))).toMatchObject({ ok: false });
	});

	it('refuses to adopt without a passing vote: a failed vote, an open vote, a vote on another item', async () => {
		const s = await sittingInProgress(30);
		const chair = s.chair;
		const { resolutionId } = await chair.resolution.draft({ itemId: s.itemId, title: 'Về dự án', body });
		const failed = await closedVote(s, 10);
		await expect(chair.resolution.adopt({ resolutionId, voteId: failed })).rejects.toMatchObject({ message: expect.stringContaining('không đạt') });
		const open = await closedVote(s, 25, false);
		await expect(chair.resolution.adopt({ resolutionId, voteId: open })).rejects.toMatchObject({ message: expect.stringContaining('chưa kết thúc') });
		await chair.vote.close({ voteId: open });
		const { voteId: onReport } = await chair.vote.open({ sittingId: s.sittingId, itemId: s.reportId, question: 'Thông qua báo cáo?', kind: 'open' });
		await Promise.all(delegates().map(async (u) => (await as(u)).vote.cast({ voteId: onReport, choice: 'yes' })));
		await chair.vote.close({ voteId: onReport });
		await expect(chair.resolution.adopt({ resolutionId, voteId: onReport })).rejects.toMatchObject({ message: expect.stringContaining('không thuộc nội dung') });
		await expect((await as('secretary.26743')).resolution.adopt({ resolutionId, voteId: open })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(chair.resolution.draft({ itemId: s.reportId, title: 'X', body })).rejects.toMatchObject({ message: expect.stringContaining('tờ trình') });
		expect(await snapshot(resolutionId)).toEqual({ status: 'draft', number: null, revs: [] });
		const counters = await db().selectFrom('resolution_counters').selectAll().execute();
		// Then the passing vote adopts it, with the council's next number.
		const next = String((counters.find((c) => c.council_id === s.councilId)?.last ?? 0) + 1).padStart(2, '0');
		expect(await chair.resolution.adopt({ resolutionId, voteId: open })).toMatchObject({ number: expect.stringMatching(new RegExp(`^${next}/`)) });
	});

	it('numbers per council and year: consecutive numbers under concurrency, and another council starts at 01', async () => {
		const year = new Date().getUTCFullYear();
		const s = await sittingInProgress(30);
		const voteId = await closedVote(s, 22);
		const last = (await db().selectFrom('resolution_counters').select('last').where('council_id', '=', s.councilId).executeTakeFirst())?.last ?? 0;
		const ids = [];
		for (const title of ['Nghị quyết thứ nhất', 'Nghị quyết thứ hai']) ids.push((await s.chair.resolution.draft({ itemId: s.itemId, title, body })).resolutionId);
		const numbers = await Promise.all(ids.map((resolutionId) => s.chair.resolution.adopt({ resolutionId, voteId })));
		const want = [last + 1, last + 2].map((n) => `${String(n).padStart(2, '0')}/${year}/NQ-HĐND`);
		expect(numbers.map((n) => n.number).sort()).toEqual(want);
		const list = await (await as('delegate.26743.9')).resolution.list({ councilId: s.councilId });
		expect(list.map((r) => r.number)).toEqual(expect.arrayContaining(want));

		const other = await db().selectFrom('councils').select('code').where('kind', '=', 'ward').where('code', '!=', '26743').orderBy('code').executeTakeFirstOrThrow();
		const t = await sittingInProgress(30, other.code);
		const otherVote = await closedVote(t, 20, true, other.code);
		const { resolutionId } = await t.chair.resolution.draft({ itemId: t.itemId, title: 'Nghị quyết của phường khác', body });
		expect(await t.chair.resolution.adopt({ resolutionId, voteId: otherVote })).toMatchObject({ number: `01/${year}/NQ-HĐND` });
	});
});
