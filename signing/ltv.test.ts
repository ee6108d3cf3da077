/**
 * PAdES B-LT and B-LTA on the library's own fixtures: a DSS (dss.ts) and a document timestamp (doc-timestamp.ts)
 * after the seal, judged by the verifier, its CLI and pyHanko's AdES validation with revocation checking required.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCrl } from './crl.js';
import { addDocumentTimestamp } from './doc-timestamp.js';
import { addDss, cmsCertificates, signatureContents } from './dss.js';
import { sampleResolution } from './fixtures.js';
import { signPdf } from './pades.js';
import { certificateToDer, certificateToPem, createRootCa } from './pki.js';
import { renderResolution } from './render.js';
import { chairOptions, DAY_MS, makePki, orgOptions, run, tmpDir, writeTmp } from './test-helpers.js';
import { createTimestampRequest, issueTsaCertificate, localTimestamper, readTimestampResponse, respondToTimestampRequest } from './tsa.js';
import { documentVerdict } from './verdict.js';
import { verifyPdf } from './verify.js';
import { vnDateTime } from './vn-time.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');
// Nothing listens there: validators must find the CRL in the file.
const CRL_URL = 'http://127.0.0.1:9/api/verify/crl/00000000-0000-4000-8000-000000000001.crl';

const now = Date.now();
const { ca, chair, org, caPem } = makePki({ crlUrl: CRL_URL });
const validity = {
	validFrom: new Date(now - 30 * DAY_MS),
	validTo: new Date(now + 365 * DAY_MS),
	crlUrl: CRL_URL
};
const tsa = issueTsaCertificate(ca, {
	commonName: 'TSA TP.HCM (thử nghiệm)',
	organization: 'Thành phố Hồ Chí Minh',
	...validity
});
const timestamp = localTimestamper(tsa);
const roots = [caPem];

let dir: string;
let caFile: string;
let sealed: Uint8Array;
let lta: Uint8Array;

/** The DSS the app adds at issuance: the certificates of both signatures, the TSA's, and the CA's current CRL. */
async function withDss(pdf: Uint8Array, crlAgeMs = 1000) {
	const certs = (await signatureContents(pdf)).flatMap(cmsCertificates);
	const thisUpdate = new Date(Date.now() - crlAgeMs);
	const crl = buildCrl(ca, {
		revoked: [],
		thisUpdate,
		nextUpdate: new Date(thisUpdate.getTime() + 7 * DAY_MS),
		crlNumber: 1
	});
	return addDss(pdf, {
		certs: [...certs, certificateToDer(tsa.certificate)],
		crls: [crl]
	});
}

function adesverify(pdf: Uint8Array, name: string) {
	expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
	const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/adesverify.py'), writeTmp(dir, name, pdf), caFile]);
	expect(r.status, r.out).toBe(0);
	return JSON.parse(r.stdout) as {
		signatures: { field: string; indication: string; subindication: string }[];
		document_timestamps: {
			intact: boolean;
			valid: boolean;
			trusted: boolean;
			time: string;
		}[];
	};
}

beforeAll(async () => {
	dir = tmpDir('nts-ltv-unit-');
	caFile = writeTmp(dir, 'ca.pem', certificateToPem(ca.certificate));
	const signedAt = new Date(now - 60_000);
	const rendered = await renderResolution(sampleResolution());
	const chairSigned = await signPdf(rendered, chairOptions(chair, { signingTime: signedAt, timestamp }));
	sealed = await signPdf(chairSigned, orgOptions(org, { signingTime: signedAt, timestamp }));
	lta = await addDocumentTimestamp(await withDss(sealed), { timestamp });
});

describe('B-LT and B-LTA after the seal', () => {
	it('the verifier: both signatures intact and trusted, nothing modified, one document timestamp over the whole file', () => {
		const r = verifyPdf(lta, { trustedRoots: roots });
		expect(r.modifications).toEqual([]);
		expect(r.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems, s.coversWholeDocument])).toEqual([
			['sig_chair', true, true, [], false],
			['sig_org', true, true, [], false]
		]);
		expect(r.documentTimestamps.map((t) => [t.fieldName, t.intact, t.trusted, t.coversWholeDocument, t.problems])).toEqual([
			['doc_timestamp', true, true, true, []]
		]);
		expect(r.documentTimestamps[0].time!.getTime()).toBeGreaterThanOrEqual(r.signatures[1].timestamp!.time.getTime());
		expect(documentVerdict(r).code).toBe('VALID');
	});

	it('the DSS holds each certificate once and the CRL, in its own revision after the seal', async () => {
		const s = Buffer.from(lta).toString('latin1');
		expect(s.slice(sealed.length)).toMatch(/\/Type \/DSS/);
		expect(s.slice(0, sealed.length)).not.toMatch(/\/DSS/);
		const dssRevisionEnd = s.indexOf('%%EOF', sealed.length);
		expect(s.indexOf('/DocTimeStamp')).toBeGreaterThan(dssRevisionEnd);
		const certs = (await signatureContents(sealed)).flatMap(cmsCertificates);
		const distinct = new Set([...certs, certificateToDer(tsa.certificate)].map((c) => Buffer.from(c).toString('hex'))).size;
		const certsEntry = /\/Certs \[([^\]]*)\]/
			.exec(s.slice(sealed.length))![1]
			.trim()
			.split(/\s+R\s*/)
			.filter(Boolean);
		expect(certsEntry).toHaveLength(distinct); // chair, clerk, CA, TSA
		expect(distinct).toBe(4);
		expect(
			/\/CRLs \[([^\]]*)\]/
				.exec(s.slice(sealed.length))![1]
				.trim()
				.split(/\s+R\s*/)
				.filter(Boolean)
		).toHaveLength(1);
	});

	it('pyHanko AdES validation with revocation required and no network: PASSED; the B-T file alone is INDETERMINATE', () => {
		const ok = adesverify(lta, 'lta.pdf');
		expect(ok.signatures.map((s) => [s.field, s.indication, s.subindication])).toEqual([
			['sig_chair', 'PASSED', 'OK'],
			['sig_org', 'PASSED', 'OK']
		]);
		expect(ok.document_timestamps.map((t) => [t.intact, t.valid, t.trusted])).toEqual([[true, true, true]]);
		const ours = verifyPdf(lta, { trustedRoots: roots }).documentTimestamps[0].time!;
		expect(new Date(ok.document_timestamps[0].time).getTime()).toBe(ours.getTime());
		expect(adesverify(sealed, 'bt.pdf').signatures.map((s) => s.indication)).toEqual(['INDETERMINATE', 'INDETERMINATE']);
	});

	it('a CRL issued days before the signatures (the app keeps one until half its week has passed) passes just the same', async () => {
		const old = await addDocumentTimestamp(await withDss(sealed, 3 * DAY_MS), { timestamp });
		expect(adesverify(old, 'old-crl.pdf').signatures.map((s) => [s.indication, s.subindication])).toEqual([
			['PASSED', 'OK'],
			['PASSED', 'OK']
		]);
	});

	it('renewal: a second DSS and document timestamp later leave everything valid (B-LTA chains)', async () => {
		const renewed = await addDocumentTimestamp(await withDss(lta), {
			timestamp
		});
		const r = verifyPdf(renewed, { trustedRoots: roots });
		expect(r.modifications).toEqual([]);
		expect(r.documentTimestamps.map((t) => [t.fieldName, t.intact, t.trusted, t.coversWholeDocument])).toEqual([
			['doc_timestamp', true, true, false],
			['doc_timestamp_2', true, true, true]
		]);
		expect(documentVerdict(r).code).toBe('VALID');
	});

	it('npm run verify shows the document timestamp apart from the signatures, and exits 0', () => {
		const r = run('npx', ['tsx', path.join(ROOT, 'signing/cli/verify.ts'), writeTmp(dir, 'cli.pdf', lta), '--ca', caFile]);
		expect(r.status, r.out).toBe(0);
		const t = verifyPdf(lta, { trustedRoots: roots }).documentTimestamps[0];
		const lines = r.stdout.split('\n');
		const at = lines.indexOf('Dấu thời gian của văn bản (ô doc_timestamp)');
		expect(at).toBeGreaterThan(lines.findIndex((l) => l.startsWith('Chữ ký số 2')));
		expect(lines.slice(at + 1, at + 4)).toEqual([
			`  Thời điểm:       ${vnDateTime(t.time!)}`,
			'  Hợp lệ:          CÓ - khớp với nội dung tệp đến thời điểm đó',
			'  Tin cậy:         CÓ - do máy chủ cấp dấu thời gian tin cậy cấp'
		]);
	});
});

describe('document timestamps that do not hold', () => {
	it('a token over other bytes: DOC_TIMESTAMP_INVALID, the signatures still valid, the verdict short of the standard', async () => {
		const wrong = await addDocumentTimestamp(sealed, {
			timestamp: async (imprint) => timestamp(imprint.map((b) => b ^ 0xff))
		});
		const r = verifyPdf(wrong, { trustedRoots: roots });
		expect(r.documentTimestamps.map((t) => [t.intact, t.trusted, t.problems])).toEqual([[false, false, ['DOC_TIMESTAMP_INVALID']]]);
		expect(r.signatures.every((s) => s.intact && s.problems.length === 0)).toBe(true);
		expect(documentVerdict(r).code).toBe('NOT_STANDARD');
	});

	it('a sound token from a TSA outside the trusted roots: DOC_TIMESTAMP_UNTRUSTED', async () => {
		const otherCa = createRootCa({
			commonName: 'TSA lạ',
			organization: 'Không rõ',
			validYears: 2,
			validFrom: new Date(now - 60 * DAY_MS)
		});
		const stranger = issueTsaCertificate(otherCa, {
			commonName: 'TSA lạ',
			organization: 'Không rõ',
			validFrom: new Date(now - DAY_MS),
			validTo: new Date(now + DAY_MS)
		});
		const pdf = await addDocumentTimestamp(sealed, {
			timestamp: async (imprint) => readTimestampResponse(respondToTimestampRequest(stranger, createTimestampRequest(imprint, { certReq: true }))).token!
		});
		const r = verifyPdf(pdf, { trustedRoots: roots });
		expect(r.documentTimestamps.map((t) => [t.intact, t.trusted, t.problems])).toEqual([[true, false, ['DOC_TIMESTAMP_UNTRUSTED']]]);
		expect(documentVerdict(r).code).toBe('NOT_STANDARD');
		expect(documentVerdict(verifyPdf(pdf), { trustChecked: false }).code).toBe('VALID');
	});

	it('bytes changed inside the timestamped range: DOC_TIMESTAMP_INVALID', () => {
		const t = verifyPdf(lta, { trustedRoots: roots }).documentTimestamps[0];
		const tampered = Buffer.from(lta);
		// One hex digit of the DSS revision's trailer /ID, inside the timestamped range: harmless to readers, but the
		// bytes are no longer the ones the TSA stamped.
		const at = tampered.lastIndexOf('/ID [', t.byteRange[1]);
		expect(at).toBeGreaterThan(sealed.length);
		const hexAt = tampered.indexOf('<', tampered.indexOf('>', at)) + 1; // the second /ID element
		tampered[hexAt] = tampered[hexAt] === 0x30 ? 0x31 : 0x30;
		const r = verifyPdf(tampered, { trustedRoots: roots });
		expect(r.documentTimestamps[0].problems).toEqual(['DOC_TIMESTAMP_INVALID']);
	});
});
