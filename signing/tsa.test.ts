/**
 * The timestamp authority (tsa.ts) judged by OpenSSL's RFC 3161 client and by pyHanko, and PAdES B-T signatures
 * (a signature timestamp in each SignerInfo) as the verifier, the CLI, OpenSSL and pyHanko see them.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TIMESTAMP_TOKEN_RESERVE } from './cms.js';
import { children, content, readTlv } from './der.js';
import { sampleResolution } from './fixtures.js';
import { signPdf } from './pades.js';
import { certificateToPem, createRootCa, type SigningIdentity } from './pki.js';
import { renderResolution } from './render.js';
import { chairOptions, DAY_MS, extractSignatures, opensslCmsVerify, FIXTURE_NOW, makePki, orgOptions, run, SIGNED_AT_CHAIR, SIGNED_AT_ORG, tmpDir, writeTmp } from './test-helpers.js';
import { parseTimestampToken } from './timestamp-token.js';
import {
	createTimestampRequest,
	issueTsaCertificate,
	localTimestamper,
	OID_TIME_STAMPING,
	readTimestampResponse,
	respondToTimestampRequest,
	TSA_POLICY_OID,
	type TimestampAuthority
} from './tsa.js';
import { verifyPdf } from './verify.js';
import { vnDateTime } from './vn-time.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');

let pki: ReturnType<typeof makePki>;
let tsa: TimestampAuthority;
let dir: string;
let caFile: string;
let tsaFile: string;

const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest();

function issueTsa(ca = pki.ca): TimestampAuthority {
	return issueTsaCertificate(ca, {
		commonName: 'TSA TP.HCM (thử nghiệm)',
		organization: 'Thành phố Hồ Chí Minh',
		validFrom: new Date(FIXTURE_NOW - 30 * DAY_MS),
		validTo: new Date(FIXTURE_NOW + 365 * DAY_MS)
	});
}

/** A token for `imprint` straight from `authority`, without the client's checks (for hostile cases). */
function rawToken(authority: TimestampAuthority, imprint: Uint8Array): Uint8Array {
	const r = readTimestampResponse(respondToTimestampRequest(authority, createTimestampRequest(imprint, { certReq: true })));
	expect(r.status).toBe(0);
	return r.token!;
}

function opensslTs(args: string[]) {
	return run('openssl', ['ts', ...args]);
}

beforeAll(() => {
	pki = makePki();
	tsa = issueTsa();
	dir = tmpDir('nts-tsa-');
	caFile = writeTmp(dir, 'ca.pem', pki.caPem);
	tsaFile = writeTmp(dir, 'tsa.pem', certificateToPem(tsa.certificate));
});

describe('the TSA certificate', () => {
	it('is issued by the CA, for timestamping only, with that usage critical', () => {
		const x = new crypto.X509Certificate(certificateToPem(tsa.certificate));
		expect(x.verify(new crypto.X509Certificate(pki.caPem).publicKey)).toBe(true);
		expect(x.keyUsage).toEqual([OID_TIME_STAMPING]);
		expect(x.ca).toBe(false);
		const eku = tsa.certificate.getExtension('extKeyUsage') as { critical?: boolean; timeStamping?: boolean } | null;
		expect(eku?.critical).toBe(true);
		expect(eku?.timeStamping).toBe(true);
		// OpenSSL's own purpose check for a TSA signer (critical EKU, timeStamping only).
		const r = run('openssl', ['verify', '-CAfile', caFile, '-purpose', 'timestampsign', tsaFile]);
		expect(r.stdout.trim()).toBe(`${tsaFile}: OK`);
	});
});

describe('respondToTimestampRequest, checked with openssl ts', () => {
	const data = Buffer.from('Nghị quyết số 05/2026/NQ-HĐND', 'utf8');
	let dataFile: string;
	let respFile: string;
	let resp: Uint8Array;
	let before: number;
	let after: number;
	const nonce = Buffer.from('0123456789abcdef', 'hex');

	beforeAll(() => {
		dataFile = writeTmp(dir, 'data.txt', data);
		before = Date.now();
		resp = respondToTimestampRequest(tsa, createTimestampRequest(sha256(data), { nonce, certReq: true }));
		after = Date.now();
		respFile = writeTmp(dir, 'resp.der', resp);
	});

	it('a granted token verifies against the data, the CA and the TSA certificate', () => {
		const r = opensslTs(['-verify', '-data', dataFile, '-in', respFile, '-CAfile', caFile, '-untrusted', tsaFile]);
		expect(r.stdout.trim()).toBe('Verification: OK');
		expect(r.status).toBe(0);
	});

	it('openssl ts -reply -text shows granted, the policy, the imprint and the nonce; genTime is now', () => {
		const r = opensslTs(['-reply', '-in', respFile, '-text']);
		expect(r.status, r.out).toBe(0);
		const lines = r.stdout.split('\n');
		expect(lines).toContain('Status: Granted.');
		expect(lines).toContain(`Policy OID: ${TSA_POLICY_OID}`);
		expect(lines).toContain('Hash Algorithm: sha256');
		expect(lines).toContain('Nonce: 0x0123456789ABCDEF');
		// "Message data:" is a hex dump, two lines of 16 bytes: "    0000 - 2c f2 4d ba 5f b0 a3 0e-26 e8 …   ,.M._..."
		const at = lines.indexOf('Message data:');
		const dumped = lines
			.slice(at + 1, at + 3)
			.map((l) => l.slice(11, 58).replace(/[ -]/g, ''))
			.join('');
		expect(dumped).toBe(sha256(data).toString('hex'));
		const tst = parseTimestampToken(readTimestampResponse(resp).token!).tstInfo;
		expect(tst.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
		expect(tst.genTime.getTime()).toBeLessThanOrEqual(after);
		expect(tst.policy).toBe(TSA_POLICY_OID);
	});

	it('a tampered imprint fails: other data, or the imprint bytes changed inside the token', () => {
		const other = writeTmp(dir, 'other.txt', Buffer.concat([data, Buffer.from('!')]));
		const r = opensslTs(['-verify', '-data', other, '-in', respFile, '-CAfile', caFile, '-untrusted', tsaFile]);
		expect(r.status).not.toBe(0);
		expect(r.stdout.trim()).toBe('Verification: FAILED');

		const tampered = Buffer.from(resp);
		const at = tampered.indexOf(sha256(data));
		expect(at).toBeGreaterThan(0);
		tampered[at] ^= 0x01;
		const t = opensslTs(['-verify', '-digest', sha256(data).toString('hex'), '-in', writeTmp(dir, 'tampered.der', tampered), '-CAfile', caFile]);
		expect(t.status).not.toBe(0);
		expect(t.stdout.trim()).toBe('Verification: FAILED');
	});

	it('answers a request made by openssl ts -query, nonce and certificate request included', () => {
		const query = writeTmp(dir, 'q.tsq', '');
		const q = opensslTs(['-query', '-data', dataFile, '-sha256', '-cert', '-out', query]);
		expect(q.status, q.out).toBe(0);
		const answer = writeTmp(dir, 'q.tsr', respondToTimestampRequest(tsa, new Uint8Array(fs.readFileSync(query))));
		const r = opensslTs(['-verify', '-queryfile', query, '-in', answer, '-CAfile', caFile]);
		expect(r.stdout.trim()).toBe('Verification: OK');
	});

	it('without certReq the token carries no certificate, and verifies with the TSA certificate given as -untrusted', () => {
		const bare = respondToTimestampRequest(tsa, createTimestampRequest(sha256(data)));
		expect(parseTimestampToken(readTimestampResponse(bare).token!).certs).toEqual([]);
		const r = opensslTs(['-verify', '-data', dataFile, '-in', writeTmp(dir, 'bare.der', bare), '-CAfile', caFile, '-untrusted', tsaFile]);
		expect(r.stdout.trim()).toBe('Verification: OK');
	});

	it('gives every token its own serial number (128 random bits)', () => {
		const serials = new Set(
			Array.from({ length: 20 }, () => parseTimestampToken(readTimestampResponse(respondToTimestampRequest(tsa, createTimestampRequest(sha256(data)))).token!).tstInfo.serial)
		);
		expect(serials.size).toBe(20);
		for (const s of serials) expect(s.length).toBeGreaterThanOrEqual(30); // 16 bytes, 17 with a sign octet
	});

	it('rejects what it cannot stamp, with the failure RFC 3161 names, and no token', () => {
		const failInfo = (resp: Uint8Array) => {
			const statusInfo = children(resp, children(resp, readTlv(resp, 0))[0]);
			return { status: content(resp, statusInfo[0])[0], bits: Buffer.from(content(resp, statusInfo[2])).toString('hex') };
		};
		const garbage = respondToTimestampRequest(tsa, Buffer.from('not a request'));
		expect(readTimestampResponse(garbage)).toEqual({ status: 2, token: null });
		expect(failInfo(garbage)).toEqual({ status: 2, bits: '0204' }); // badDataFormat (bit 5)
		// TimeStampReq { version 1, messageImprint { sha1 (1.3.14.3.2.26) with NULL, 20 bytes } }.
		const sha1Req = Buffer.from(`3026020101302130090605${'2b0e03021a'}05000414${'ab'.repeat(20)}`, 'hex');
		const sha1 = respondToTimestampRequest(tsa, sha1Req);
		expect(failInfo(sha1)).toEqual({ status: 2, bits: '0780' }); // badAlg (bit 0)
	});
});

/** The chair's and the clerk's signatures, each with a signature timestamp from `authority`. */
async function timestampedResolution(authority: TimestampAuthority | ((imprint: Uint8Array) => Promise<Uint8Array>)) {
	const rendered = await renderResolution(sampleResolution());
	const timestamp = typeof authority === 'function' ? authority : localTimestamper(authority);
	const chairSigned = await signPdf(rendered, chairOptions(pki.chair, { timestamp }));
	return signPdf(chairSigned, orgOptions(pki.org, { timestamp }));
}

describe('PAdES B-T: signPdf with a signature timestamp', () => {
	let sealed: Uint8Array;
	let before: number;
	let after: number;

	beforeAll(async () => {
		before = Date.now();
		sealed = await timestampedResolution(tsa);
		after = Date.now();
	});

	it('the verifier shows the timestamp as the signing time and keeps the claimed /M', () => {
		const r = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
		expect(r.signatures.map((s) => s.problems)).toEqual([[], []]);
		expect(r.signatures.map((s) => s.claimedTime?.toISOString())).toEqual([SIGNED_AT_CHAIR.toISOString(), SIGNED_AT_ORG.toISOString()]);
		for (const s of r.signatures) {
			expect(s.intact).toBe(true);
			expect(s.timestamp?.trusted).toBe(true);
			expect(s.timestamp!.time.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
			expect(s.timestamp!.time.getTime()).toBeLessThanOrEqual(after);
			expect(s.signingTime).toEqual(s.timestamp!.time);
		}
	});

	it('each token stamps its own signature value and verifies with openssl ts -token_in; the CMS still verifies with openssl cms -cades', () => {
		const sigs = extractSignatures(sealed);
		expect(sigs).toHaveLength(2);
		sigs.forEach((sig, i) => {
			// SignerInfo: version, sid, digestAlgorithm, [0] signedAttrs, signatureAlgorithm, signature, [1] unsignedAttrs.
			const cms = new Uint8Array(sig.cms);
			const sd = children(cms, children(cms, children(cms, readTlv(cms, 0))[1])[0]);
			const si = children(cms, children(cms, sd[sd.length - 1])[0]);
			expect(si.map((t) => t.tag)).toEqual([0x02, 0x30, 0x30, 0xa0, 0x30, 0x04, 0xa1]);
			const signatureValue = content(cms, si[5]);
			const attr = children(cms, children(cms, si[6])[0]);
			const tokenTlv = children(cms, attr[1])[0];
			const token = cms.subarray(tokenTlv.start, tokenTlv.end);
			expect(token.length).toBeLessThan(TIMESTAMP_TOKEN_RESERVE);
			const tokenFile = writeTmp(dir, `token${i}.der`, token);
			const ok = opensslTs(['-verify', '-digest', sha256(signatureValue).toString('hex'), '-in', tokenFile, '-token_in', '-CAfile', caFile]);
			expect(ok.stdout.trim()).toBe('Verification: OK');
			const cmsOk = opensslCmsVerify(writeTmp(dir, `bt${i}.der`, sig.cms), writeTmp(dir, `bt${i}.bin`, sig.signed), caFile);
			expect(cmsOk.status, cmsOk.out).toBe(0);
		});
	});

	it('pyHanko finds each signature timestamp valid and trusted, at the time the verifier reports', () => {
		expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
		const file = writeTmp(dir, 'bt.pdf', sealed);
		const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/validate.py'), file, caFile]);
		expect(r.status, r.out).toBe(0);
		const theirs = (JSON.parse(r.stdout) as { signatures: { field: string; valid: boolean; trusted: boolean; timestamp_valid: boolean | null; timestamp_time: string | null }[] })
			.signatures;
		const ours = verifyPdf(sealed, { trustedRoots: [pki.caPem] }).signatures;
		expect(theirs.map((s) => [s.field, s.valid, s.trusted, s.timestamp_valid])).toEqual([
			['sig_chair', true, true, true],
			['sig_org', true, true, true]
		]);
		expect(theirs.map((s) => new Date(s.timestamp_time!).getTime())).toEqual(ours.map((s) => s.timestamp!.time.getTime()));
	});

	it('npm run verify prints the trusted timestamp as the signing time, and the claimed time beside it', () => {
		const file = writeTmp(dir, 'bt-cli.pdf', sealed);
		const r = run('npx', ['tsx', path.join(ROOT, 'signing/cli/verify.ts'), file, '--ca', caFile]);
		expect(r.status, r.out).toBe(0);
		const ours = verifyPdf(sealed, { trustedRoots: [pki.caPem] }).signatures;
		const lines = r.stdout.split('\n');
		const stamped = lines.filter((l) => l.startsWith('  Thời điểm ký (dấu thời gian tin cậy): '));
		expect(stamped).toEqual(ours.map((s) => `  Thời điểm ký (dấu thời gian tin cậy): ${vnDateTime(s.timestamp!.time)}`));
		expect(lines.filter((l) => l.startsWith('  Người ký tự ghi: '))).toEqual([
			`  Người ký tự ghi: ${vnDateTime(SIGNED_AT_CHAIR)}`,
			`  Người ký tự ghi: ${vnDateTime(SIGNED_AT_ORG)}`
		]);
	});
});

describe('the verifier on signature timestamps that do not hold', () => {
	it('a token over another signature value: TIMESTAMP_INVALID, and the signing time stays the claimed /M', async () => {
		const sealed = await timestampedResolution(async () => rawToken(tsa, crypto.randomBytes(32)));
		const r = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
		for (const s of r.signatures) {
			expect(s.intact).toBe(true);
			expect(s.problems).toEqual(['TIMESTAMP_INVALID']);
			expect(s.timestamp).toBeNull();
			expect(s.signingTime).toEqual(s.claimedTime);
		}
		expect(r.signatures.map((s) => s.signingTime?.toISOString())).toEqual([SIGNED_AT_CHAIR.toISOString(), SIGNED_AT_ORG.toISOString()]);
	});

	it('a token signed by a certificate that is not a TSA certificate (the clerk\'s): TIMESTAMP_INVALID', async () => {
		const notTsa: SigningIdentity = pki.org;
		const sealed = await timestampedResolution(localTimestamper(notTsa));
		expect(verifyPdf(sealed, { trustedRoots: [pki.caPem] }).signatures.map((s) => s.problems)).toEqual([['TIMESTAMP_INVALID'], ['TIMESTAMP_INVALID']]);
	});

	it('a token whose TSTInfo was altered after the TSA signed it: TIMESTAMP_INVALID', async () => {
		const sealed = await timestampedResolution(async (imprint) => {
			const token = Buffer.from(await localTimestamper(tsa)(imprint));
			// The policy OID's last arc, inside the signed TSTInfo: the message-digest no longer matches.
			const policy = Buffer.from('2b0601040181fd59854001', 'hex'); // 1.3.6.1.4.1.32473.704.1 (without the final .1)
			const at = token.indexOf(policy);
			expect(at).toBeGreaterThan(0);
			token[at + policy.length] ^= 0x02;
			return token;
		});
		expect(verifyPdf(sealed, { trustedRoots: [pki.caPem] }).signatures.map((s) => s.problems)).toEqual([['TIMESTAMP_INVALID'], ['TIMESTAMP_INVALID']]);
	});

	it('something that is not a token, or not even DER, in the attribute: TIMESTAMP_INVALID, the signature still intact', async () => {
		for (const junk of [Buffer.from('3003020105', 'hex'), Buffer.from('ffff', 'hex')]) {
			const sealed = await timestampedResolution(async () => junk);
			const r = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
			expect(r.signatures.map((s) => [s.intact, s.chainTrusted, s.problems, s.timestamp])).toEqual([
				[true, true, ['TIMESTAMP_INVALID'], null],
				[true, true, ['TIMESTAMP_INVALID'], null]
			]);
		}
	});

	it('a sound token from a TSA outside the trusted roots: TIMESTAMP_UNTRUSTED, time reported but not used', async () => {
		const otherCa = createRootCa({ commonName: 'TSA lạ', organization: 'Không rõ', validYears: 2, validFrom: new Date(FIXTURE_NOW - 60 * DAY_MS) });
		const sealed = await timestampedResolution(issueTsa(otherCa));
		const r = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
		for (const s of r.signatures) {
			expect(s.problems).toEqual(['TIMESTAMP_UNTRUSTED']);
			expect(s.timestamp?.trusted).toBe(false);
			expect(s.signingTime).toEqual(s.claimedTime);
		}
	});
});
