import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { GET as getCaPem } from '../../app/routes/api/verify/ca/[councilId=uuid].pem/+server';
import { certificateToPem, createRootCa } from '../../signing/index';
import { extractSignatures, nssDbTrusting, opensslCmsVerify, pdfsigBlocks, run, tmpDir, writeTmp } from '../../signing/test-helpers';
import { adoptedResolution } from '../helpers/resolutions';
import { as, db } from '../helpers/callers';

// Issue 21: the signing library's own fixtures were checked by pdfsig (trusting the CA) and `openssl cms -verify`,
// but the PDFs the app itself issues were not. Here a resolution goes through the app as in production — voted,
// adopted, signed by the chair, sealed by the clerk — and the stored PDF is judged by those two outside tools,
// trusting only the council CA that the app publishes at GET /api/verify/ca/{councilId}.pem.

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';


/** pdfsig's "  - Key: value" lines of one signature block as fields; lines without a value map to true. */
function fields(block: string): Record<string, string | true> {
	const out: Record<string, string | true> = {};
	for (const line of block.split('\n')) {
		const m = /^\s+- (.+?)(?:: (.*))?$/.exec(line);
		if (m) out[m[1]] = m[2] ?? true;
	}
	return out;
}

function cmsVerify(dir: string, i: number, sig: { cms: Buffer; signed: Buffer }, caFile: string) {
	return opensslCmsVerify(writeTmp(dir, `sig${i}.der`, sig.cms), writeTmp(dir, `signed${i}.bin`, sig.signed), caFile);
}

let dir: string;
let pdfFile: string;
let issued: Uint8Array;
let caPem: string;

beforeAll(async () => {
	const { resolutionId, chair, councilId } = await adoptedResolution('Về kiểm tra bằng công cụ độc lập');
	await chair.resolution.sign({ resolutionId, passphrase: 'demo' });
	await (await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' });
	// Revision 2: signed by the chair (1) and sealed by the clerk (2), the copy the app publishes.
	issued = (await db().selectFrom('resolution_revisions').select('pdf').where('resolution_id', '=', resolutionId).where('revision', '=', 2).executeTakeFirstOrThrow()).pdf;

	// The CA exactly as a validator downloads it.
	const res = await getCaPem({ params: { councilId }, locals: { locale: 'vi', user: null, sessionToken: null } } as unknown as Parameters<typeof getCaPem>[0]);
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('application/x-pem-file');
	caPem = await res.text();

	dir = tmpDir('nts-issued-');
	pdfFile = writeTmp(dir, 'issued.pdf', issued);
});

afterAll(() => {
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the app's issued resolution, judged by outside tools trusting the published council CA", () => {
	it('pdfsig (poppler + NSS): both signatures valid and their certificates trusted, the document timestamp covering the whole file', () => {
		const nss = nssDbTrusting(caPem);
		const r = run('pdfsig', ['-nssdir', `sql:${nss}`, pdfFile]);
		fs.rmSync(nss, { recursive: true, force: true });
		expect(r.status, r.out).toBe(0);
		const [chair, seal, docTimestamp] = pdfsigBlocks(r.stdout).map(fields);
		// The third is the document timestamp (PAdES B-LTA), which poppler lists but does not check (ETSI.RFC3161 is
		// "unknown" to it); resolutions-ltv.test.ts checks it with openssl ts and pyHanko.
		expect(pdfsigBlocks(r.stdout).length, r.out).toBe(3);
		// The byte ranges pdfsig read are the ones in the file: [a - a+b], [c - c+d].
		const ranges = extractSignatures(issued).map(({ byteRange: [a, b, c, d] }) => `[${a} - ${a + b}], [${c} - ${c + d}]`);
		expect(chair).toMatchObject({
			'Signature Field Name': 'sig_chair',
			'Signature Type': 'ETSI.CAdES.detached',
			'Signing Hash Algorithm': 'SHA-256',
			'Signed Ranges': ranges[0],
			'Not total document signed': true,
			'Signature Validation': 'Signature is Valid.',
			'Certificate Validation': 'Certificate is Trusted.'
		});
		expect(seal).toMatchObject({
			'Signature Field Name': 'sig_org',
			'Signature Type': 'ETSI.CAdES.detached',
			'Signing Hash Algorithm': 'SHA-256',
			'Signed Ranges': ranges[1],
			'Not total document signed': true,
			'Signature Validation': 'Signature is Valid.',
			'Certificate Validation': 'Certificate is Trusted.'
		});
		expect(docTimestamp).toMatchObject({ 'Signature Field Name': 'doc_timestamp', 'Signed Ranges': ranges[2], 'Total document signed': true });
		// The document timestamp's second range ends at the file's last byte: nothing was appended after it.
		const [, , c, d] = extractSignatures(issued)[2].byteRange;
		expect(c + d).toBe(issued.length);
	});

	it('pdfsig without the council CA in its store: the signatures stay valid but are not trusted (the trust above comes from that CA)', () => {
		const empty = tmpDir('nts-nss-empty-');
		expect(run('certutil', ['-N', '--empty-password', '-d', `sql:${empty}`]).status).toBe(0);
		const r = run('pdfsig', ['-nssdir', `sql:${empty}`, pdfFile]);
		fs.rmSync(empty, { recursive: true, force: true });
		const blocks = pdfsigBlocks(r.stdout).map(fields).slice(0, 2);
		expect(blocks.map((f) => [f['Signature Validation'], f['Certificate Validation']])).toEqual([
			['Signature is Valid.', "Certificate issuer isn't Trusted."],
			['Signature is Valid.', "Certificate issuer isn't Trusted."]
		]);
	});

	it('openssl cms -verify: each signature’s CMS verifies over the bytes it covers against the council CA, and not against another CA', () => {
		const caFile = writeTmp(dir, 'ca.pem', caPem);
		// The signatures; the third /ByteRange is the document timestamp's, an RFC 3161 token (resolutions-ltv.test.ts).
		const sigs = extractSignatures(issued).slice(0, 2);
		expect(sigs.length).toBe(2);
		const results = sigs.map((sig, i) => cmsVerify(dir, i, sig, caFile));
		expect(results.map((r) => [r.status, r.stderr])).toEqual([
			[0, 'CAdES Verification successful\n'],
			[0, 'CAdES Verification successful\n']
		]);
		// A CA that did not issue the signers' certificates: the same command refuses both.
		const other = createRootCa({ commonName: 'CA khác', organization: 'Tổ chức khác', validYears: 1 });
		const otherFile = writeTmp(dir, 'other-ca.pem', certificateToPem(other.certificate));
		const refused = sigs.map((sig, i) => cmsVerify(dir, 10 + i, sig, otherFile));
		expect(refused.map((r) => [r.status === 0, r.stderr.split('\n')[0]])).toEqual([
			[false, 'CAdES Verification failure'],
			[false, 'CAdES Verification failure']
		]);
	});
});
