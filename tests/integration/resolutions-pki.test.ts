import { describe, expect, it } from 'vitest';
import { POST } from '../../app/routes/api/verify/+server';
import { certificateToDer, createRootCa, issuePersonCertificate, normalizeSerial, openKey, toPkcs12 } from '../../signing/index';
import { adoptedResolution } from '../helpers/resolutions';
import { as, db, userIdOf } from '../helpers/callers';
import { appendOverlayAnnotation } from '../helpers/pdf-overlay';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';


// Certificate dates are relative to the run (issue 21): fixed years would turn "not yet valid" into
// valid, and "valid" into expired, as the calendar moves on.
const YEAR_MS = 365 * 86_400_000;
const yearsFromNow = (n: number) => new Date(Date.now() + n * YEAR_MS);

function person(validFrom: Date, validTo: Date) {
	const ca = createRootCa({ commonName: 'CA ngoài', organization: 'Tổ chức chứng thực khác', validYears: 10, validFrom: yearsFromNow(-3) });
	return issuePersonCertificate(ca, { commonName: 'Chủ tịch', organization: 'HĐND', validFrom, validTo });
}

async function postVerify(bytes: Uint8Array | string, type = 'application/pdf') {
	const request = new Request('http://localhost/api/verify', { method: 'POST', body: typeof bytes === 'string' ? bytes : Buffer.from(bytes), headers: { 'content-type': type } });
	const res = await POST({ request, locals: { locale: 'vi', user: null, sessionToken: null } } as unknown as Parameters<typeof POST>[0]);
	return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('POST /api/verify on an issued resolution', () => {
	it('says first that the copy is valid and archived; an annotation painted over the text after the seal makes it "modified after signing"', async () => {
		const { resolutionId, chair } = await adoptedResolution('Về thử nghiệm chứng thư');
		await chair.resolution.sign({ resolutionId, passphrase: 'demo' });
		await (await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' });
		const issued = await db().selectFrom('resolution_revisions').select('pdf').where('resolution_id', '=', resolutionId).where('revision', '=', 2).executeTakeFirstOrThrow();

		const good = await postVerify(issued.pdf);
		expect(good.status).toBe(200);
		expect(good.json.verdict).toMatchObject({ code: 'VALID', valid: true });
		expect((good.json.verdict as { message: string }).message).toMatch(/^Văn bản hợp lệ: do .+ ký, chữ ký nguyên vẹn, không bị sửa đổi sau khi ký\. Trùng khớp với bản lưu của hệ thống\.$/);
		expect(good.json.modifications).toEqual([]);
		expect(good.json.certified).toBe(true);

		const { status, json } = await postVerify(appendOverlayAnnotation(issued.pdf));
		expect(status).toBe(200);
		expect(json.verdict).toEqual({
			code: 'MODIFIED_AFTER_SIGNING',
			valid: false,
			message: 'Văn bản đã bị sửa đổi sau khi ký (phiên bản 6 của tệp): nội dung hiển thị không còn đúng như lúc ký. Không sử dụng bản này.'
		});
		const signatures = json.signatures as { intact: boolean; problems: { code: string }[] }[];
		expect(signatures.map((s) => s.intact)).toEqual([true, true]);
		expect(signatures.map((s) => s.problems.map((p) => p.code))).toEqual([['MODIFIED_AFTER_SIGNING'], ['MODIFIED_AFTER_SIGNING']]);
		const changes = (json.modifications as { revision: number; changes: { kind: string; message: string }[] }[]).flatMap((m) => m.changes.map((c) => [m.revision, c.kind]));
		expect(changes).toEqual([[6, 'annotation']]);
		expect(json.registry).toEqual({ matches: false });
	});
});

describe('resolution certificates and verification endpoint', () => {
	it('refuses an expired, a not-yet-valid and a revoked certificate with clear messages, changing nothing', async () => {
		const { resolutionId, chair, councilId } = await adoptedResolution('Về thử nghiệm chứng thư');
		const chairId = await userIdOf('chair.26743');
		const cases: [Date, Date, string, boolean][] = [
			[yearsFromNow(-2), yearsFromNow(-1), 'Chứng thư số đã hết hạn.', false],
			[yearsFromNow(1), yearsFromNow(2), 'Chứng thư số chưa đến thời điểm có hiệu lực.', false],
			[yearsFromNow(-1), yearsFromNow(2), 'Chứng thư số đã bị thu hồi.', true]
		];
		for (const [from, to, message, revoke] of cases) {
			const id = person(from, to);
			const serial = normalizeSerial(id.certificate.serialNumber);
			await db().deleteFrom('signing_identities').where('user_id', '=', chairId).execute();
			await db()
				.insertInto('signing_identities')
				.values({ user_id: chairId, council_id: councilId, kind: 'person', certificate: certificateToDer(id.certificate), pkcs12: toPkcs12(id.privateKey, [id.certificate, ...id.chain], 'demo'), serial, not_before: from, not_after: to })
				.execute();
			if (revoke) {
				// A revoked serial (e.g. an earlier copy of the same certificate) blocks the current one too.
				await db()
					.insertInto('signing_identities')
					.values({ user_id: chairId, council_id: councilId, kind: 'person', certificate: certificateToDer(id.certificate), pkcs12: new Uint8Array([0]), serial, not_before: from, not_after: to, revoked_at: new Date() })
					.execute();
			}
			await expect(chair.resolution.sign({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({ message });
		}
		expect((await db().selectFrom('resolutions').select('status').where('id', '=', resolutionId).executeTakeFirstOrThrow()).status).toBe('adopted');
		expect(await db().selectFrom('resolution_revisions').select('revision').where('resolution_id', '=', resolutionId).execute()).toEqual([{ revision: 0 }]);
	});

	it('converts a key stored as PKCS#12 before migration 0010 to encrypted PKCS#8 the first time its passphrase opens it', async () => {
		const first = await adoptedResolution('Về thử nghiệm chuyển đổi khóa');
		const chairId = await userIdOf('chair.26743');
		const id = person(yearsFromNow(-1), yearsFromNow(2));
		await db().deleteFrom('signing_identities').where('user_id', '=', chairId).execute();
		const { id: rowId } = await db()
			.insertInto('signing_identities')
			.values({ user_id: chairId, council_id: first.councilId, kind: 'person', certificate: certificateToDer(id.certificate), pkcs12: toPkcs12(id.privateKey, [id.certificate, ...id.chain], 'Mật khẩu cũ của tôi'), serial: normalizeSerial(id.certificate.serialNumber), not_before: yearsFromNow(-1), not_after: yearsFromNow(2) })
			.returning('id')
			.executeTakeFirstOrThrow();
		const stored = () => db().selectFrom('signing_identities').select(['pkcs12', 'private_key', 'chain']).where('id', '=', rowId).executeTakeFirstOrThrow();
		// A wrong passphrase converts nothing.
		await expect(first.chair.resolution.sign({ resolutionId: first.resolutionId, passphrase: 'Mật khẩu khác' })).rejects.toMatchObject({ message: 'Mật khẩu chứng thư số không đúng.' });
		expect(await stored()).toMatchObject({ private_key: null, chain: null });
		await first.chair.resolution.sign({ resolutionId: first.resolutionId, passphrase: 'Mật khẩu cũ của tôi' });
		const row = await stored();
		expect(row.pkcs12).toBeNull();
		expect(row.chain!.map((c) => Buffer.from(c).toString('hex'))).toEqual([Buffer.from(certificateToDer(id.chain[0])).toString('hex')]);
		const pkcs8 = (k: ReturnType<typeof openKey>) => k.export({ type: 'pkcs8', format: 'der' }).toString('hex');
		expect(pkcs8(openKey(row.private_key!, 'Mật khẩu cũ của tôi'))).toBe(pkcs8(id.privateKey));
		// The converted key signs the next resolution under the same passphrase.
		const second = await adoptedResolution('Về thử nghiệm khóa đã chuyển đổi');
		await expect(second.chair.resolution.sign({ resolutionId: second.resolutionId, passphrase: 'Mật khẩu cũ của tôi' })).resolves.toBeDefined();
		expect((await db().selectFrom('resolutions').select('status').where('id', '=', second.resolutionId).executeTakeFirstOrThrow()).status).toBe('signed');
		await db().deleteFrom('signing_identities').where('id', '=', rowId).execute();
	});

	it('imports an external PKCS#12 for the chair (expired ones refused); signatures from a foreign CA are reported untrusted', async () => {
		const { resolutionId, chair, councilId } = await adoptedResolution('Về thử nghiệm chứng thư');
		const expired = person(yearsFromNow(-2), yearsFromNow(-1));
		const p12 = (i: typeof expired, pass: string) => Buffer.from(toPkcs12(i.privateKey, [i.certificate, ...i.chain], pass)).toString('base64');
		await expect(chair.resolution.importCertificate({ councilId, p12Base64: p12(expired, 'token-pin'), passphrase: 'token-pin' })).rejects.toMatchObject({ message: 'Chứng thư số đã hết hạn.' });
		const good = person(new Date(Date.now() - 3600_000), new Date(Date.now() + 365 * 86400_000));
		await expect(chair.resolution.importCertificate({ councilId, p12Base64: p12(good, 'token-pin'), passphrase: 'sai' })).rejects.toMatchObject({ message: 'Mật khẩu chứng thư số không đúng.' });
		await expect((await as('delegate.26743.1')).resolution.importCertificate({ councilId, p12Base64: p12(good, 'token-pin'), passphrase: 'token-pin' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await chair.resolution.importCertificate({ councilId, p12Base64: p12(good, 'token-pin'), passphrase: 'token-pin' });
		await expect(chair.resolution.sign({ resolutionId, passphrase: 'demo' })).rejects.toMatchObject({ message: 'Mật khẩu chứng thư số không đúng.' });
		await chair.resolution.sign({ resolutionId, passphrase: 'token-pin' });
		const rev = await db().selectFrom('resolution_revisions').select('pdf').where('resolution_id', '=', resolutionId).where('revision', '=', 1).executeTakeFirstOrThrow();
		const { status, json } = await postVerify(rev.pdf);
		expect(status).toBe(200);
		expect(json).toMatchObject({ ok: true, registry: { matches: true, resolutionId, revision: 1 } });
		const sigs = json.signatures as { intact: boolean; chainTrusted: boolean; problems: { message: string }[] }[];
		expect(sigs[0]).toMatchObject({ intact: true, chainTrusted: false });
		expect(sigs[0].problems.map((p) => p.message)).toContain('Chứng thư số không được cấp bởi tổ chức chứng thực tin cậy.');

		// Multipart with the field `file` works too.
		const form = new FormData();
		form.set('file', new Blob([Buffer.from(rev.pdf)], { type: 'application/pdf' }), 'nq.pdf');
		const request = new Request('http://localhost/api/verify', { method: 'POST', body: form });
		const res = await POST({ request, locals: { locale: 'vi' } } as unknown as Parameters<typeof POST>[0]);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ registry: { matches: true, revision: 1 } });
	});

	it('answers hostile input with 400 and a Vietnamese message', async () => {
		const cases: [Uint8Array | string, RegExp][] = [
			['', /chọn một tệp/],
			['hello, not a pdf', /không phải là tài liệu PDF/],
			['%PDF-1.7\n1 0 obj <<>> endobj\n', /cắt cụt|lỗi/],
			['%PDF-1.7\n/ByteRange [0 99999999 99999999 5] /Contents <00>\n%%EOF\n', /./],
			[Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1000, 0x28), Buffer.from('\n%%EOF')]), /./]
		];
		for (const [input, message] of cases) {
			const { status, json } = await postVerify(input);
			if (status === 200) continue; // a PDF without signatures is a valid answer too
			expect(status).toBe(400);
			expect((json.error as { message: string }).message).toMatch(message);
		}
		const big = await postVerify(Buffer.alloc(21 * 1024 * 1024, 0x20));
		expect(big.status).toBe(413);
		expect((big.json.error as { message: string }).message).toContain('20 MB');
	});
});
