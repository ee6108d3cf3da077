import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openSecret } from '../../app/lib/server/resolutions/secret';
import { councilCaPem } from '../../app/lib/server/resolutions/pki';
import { verifyDocument } from '../../app/lib/server/resolutions/verify';
import { POST } from '../../app/routes/api/tsa/+server';
import { certificateFromDer } from '../../signing/index';
import { run, tmpDir, writeTmp } from '../../signing/test-helpers';
import { readTimestampResponse } from '../../signing/tsa';
import { as, db, userIdOf } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

const body = { legalBases: ['Căn cứ Luật Tổ chức chính quyền địa phương;'], articles: [{ paragraphs: ['Thông qua.'] }], recipients: ['Lưu: VT.'] };

async function postTsa(bytes: Uint8Array, type = 'application/timestamp-query', signedIn = true) {
	const request = new Request('http://localhost/api/tsa', { method: 'POST', body: Buffer.from(bytes), headers: { 'content-type': type } });
	const user = signedIn ? { id: await userIdOf('chair.26743'), username: 'chair.26743' } : null;
	const res = await POST({ request, locals: { locale: 'vi', user, sessionToken: null } } as unknown as Parameters<typeof POST>[0]);
	return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function cityCouncilId() {
	return (await db().selectFrom('councils').select('id').where('kind', '=', 'city').executeTakeFirstOrThrow()).id;
}

describe('POST /api/tsa, the city timestamp authority', () => {
	it('stamps a request made by openssl ts -query; the reply verifies against the city council CA', async () => {
		const dir = tmpDir('nts-tsa-api-');
		const data = writeTmp(dir, 'data.txt', 'Nghị quyết số 01/2026/NQ-HĐND');
		const query = writeTmp(dir, 'q.tsq', '');
		const q = run('openssl', ['ts', '-query', '-data', data, '-sha256', '-cert', '-out', query]);
		expect(q.status, q.out).toBe(0);
		const res = await postTsa(new Uint8Array(fs.readFileSync(query)));
		expect(res.status).toBe(200);
		expect(res.type).toBe('application/timestamp-reply');
		expect(readTimestampResponse(res.bytes).status).toBe(0);
		const caPem = await councilCaPem(db(), await cityCouncilId());
		expect(caPem).not.toBeNull();
		const r = run('openssl', ['ts', '-verify', '-queryfile', query, '-in', writeTmp(dir, 'r.tsr', res.bytes), '-CAfile', writeTmp(dir, 'city-ca.pem', caPem!)]);
		expect(r.stdout.trim()).toBe('Verification: OK');
	});

	it('keeps one TSA identity, under the city council CA, its key sealed and bound to its row', async () => {
		await postTsa(new Uint8Array(crypto.createHash('sha256').update('x').digest())); // not a request: still answered
		const rows = await db().selectFrom('tsa_identities').selectAll().execute();
		expect(rows).toHaveLength(1);
		expect(rows[0].issuer_council_id).toBe(await cityCouncilId());
		const cert = certificateFromDer(rows[0].certificate);
		const key = crypto.createPrivateKey({ key: openSecret(rows[0].private_key_enc, `tsa:${rows[0].id}`), format: 'der', type: 'pkcs8' });
		expect(crypto.createPublicKey(key).export({ type: 'spki', format: 'der' })).toEqual(new crypto.X509Certificate(Buffer.from(rows[0].certificate)).publicKey.export({ type: 'spki', format: 'der' }));
		expect(() => openSecret(rows[0].private_key_enc, 'tsa:another-row')).toThrow();
		expect(rows[0].not_after.getTime()).toBe(cert.validity.notAfter.getTime());
	});

	it('answers only signed-in users: each stamp costs an RSA signature', async () => {
		const { status, bytes } = await postTsa(new Uint8Array([0x30, 0x00]), 'application/timestamp-query', false);
		expect(status).toBe(401);
		expect(Buffer.from(bytes).toString('utf8')).toBe('Cần đăng nhập để dùng dịch vụ dấu thời gian của Thành phố.');
	});

	it('refuses other content types (415) and bodies over 64 KB (413); rejects what is not a request inside a 200 reply', async () => {
		expect((await postTsa(new Uint8Array([0x30, 0x00]), 'application/octet-stream')).status).toBe(415);
		expect((await postTsa(new Uint8Array(64 * 1024 + 1))).status).toBe(413);
		const garbage = await postTsa(new Uint8Array([1, 2, 3]));
		expect(garbage.status).toBe(200);
		expect(readTimestampResponse(garbage.bytes)).toEqual({ status: 2, token: null });
	});
});

describe('an issued resolution carries a signature timestamp on each signature (PAdES B-T)', () => {
	it('the verifier reports the trusted timestamp as the signing time, the signer\'s /M as the claim', async () => {
		const s = await sittingInProgress(30);
		const { voteId } = await s.chair.vote.open({ sittingId: s.sittingId, itemId: s.itemId, question: 'Thông qua?', kind: 'open' });
		await Promise.all(delegates().map(async (u) => (await as(u)).vote.cast({ voteId, choice: 'yes' })));
		await s.chair.vote.close({ voteId });
		const { resolutionId } = await s.chair.resolution.draft({ itemId: s.itemId, title: 'Về dấu thời gian', body });
		await s.chair.resolution.adopt({ resolutionId, voteId });
		const before = Date.now();
		await s.chair.resolution.sign({ resolutionId, passphrase: 'demo' });
		await (await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' });
		const after = Date.now();
		const issued = await db().selectFrom('resolution_revisions').select('pdf').where('resolution_id', '=', resolutionId).where('revision', '=', 2).executeTakeFirstOrThrow();
		const report = await verifyDocument(db(), issued.pdf);
		if (!report.ok) throw new Error(report.message);
		expect(report.verdict.code).toBe('VALID');
		for (const sig of report.signatures) {
			expect(sig.problems).toEqual([]);
			expect(sig.timestamp?.trusted).toBe(true);
			expect(sig.signingTime).toBe(sig.timestamp!.time);
			const t = Date.parse(sig.timestamp!.time);
			expect(t).toBeGreaterThanOrEqual(before - 1000);
			expect(t).toBeLessThanOrEqual(after);
			// The claim is the server's clock when the step began; the token comes after the signature value.
			expect(Date.parse(sig.claimedTime!)).toBeLessThanOrEqual(t);
		}
	});
});
