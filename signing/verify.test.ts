import { spawnSync } from 'node:child_process';
import { SignPdf } from '@signpdf/signpdf';
import { P12Signer } from '@signpdf/signer-p12';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSigningError } from './errors.js';
import { createRootCa, issuePersonCertificate, type SigningIdentity } from './pki.js';
import { toPkcs12 } from './pkcs12.js';
import { chairOptions, codeOf, DAY_MS, makeSignedResolution, SIGNED_AT_CHAIR, SIGNED_ON, tmpDir, writeTmp } from './test-helpers.js';
import { signPdf } from './pades.js';
import { issueTsaCertificate, localTimestamper } from './tsa.js';
import { verifyPdf, type VerifyOptions } from './verify.js';
import { certificateFloodPdf } from '../tests/helpers/security/pdf-dos.js';

let fx: Awaited<ReturnType<typeof makeSignedResolution>>;
beforeAll(async () => {
	fx = await makeSignedResolution();
});

const trust = (): VerifyOptions => ({ trustedRoots: [fx.pki.caPem] });

/** Replaces `find` (latin1) with `repl` of the same length at its last occurrence. */
function patch(bytes: Uint8Array, find: RegExp, repl: (m: string) => string): Buffer {
	const s = Buffer.from(bytes).toString('latin1');
	const all = [...s.matchAll(new RegExp(find.source, 'g'))];
	const m = all[all.length - 1];
	const r = repl(m[0]);
	expect(r.length).toBe(m[0].length);
	return Buffer.from(s.slice(0, m.index) + r + s.slice(m.index! + m[0].length), 'latin1');
}

describe('verifyPdf on good files', () => {
	it('reports both signatures with signer, field, time, certificate and trust', () => {
		const r = verifyPdf(fx.sealed, trust());
		expect(r.sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(r.signatures).toHaveLength(2);
		const [chair, org] = r.signatures;
		expect(chair).toMatchObject({
			fieldName: 'sig_chair',
			signerName: 'Nguyễn Thị Ánh Hồng',
			intact: true,
			coversWholeDocument: false,
			chainTrusted: true,
			problems: []
		});
		expect(org).toMatchObject({
			fieldName: 'sig_org',
			signerName: 'Hội đồng nhân dân phường Bến Thành',
			intact: true,
			coversWholeDocument: true,
			chainTrusted: true,
			problems: []
		});
		expect(chair.signingTime?.toISOString()).toBe(SIGNED_AT_CHAIR.toISOString());
		expect(chair.certificate?.issuer).toContain('CN=CA HĐND TP.HCM (thử nghiệm)');
		expect(chair.certificate?.serial).toBe(fx.pki.chair.certificate.serialNumber.replace(/^0+/, ''));
	});

	it('says "not trusted" for another CA, and flags revoked signer certificates', () => {
		const other = createRootCa({
			commonName: 'CA khác',
			organization: 'Khác',
			validYears: 1
		});
		const r = verifyPdf(fx.sealed, { trustedRoots: [other.certificate] });
		expect(r.signatures.every((s) => s.intact && !s.chainTrusted && s.problems.includes('CHAIN_UNTRUSTED'))).toBe(true);
		expect(verifyPdf(fx.sealed).signatures.every((s) => !s.chainTrusted)).toBe(true);
		// No timestamp in this file: the signer's claimed time proves nothing, so even a revocation dated later counts.
		const rv = verifyPdf(fx.sealed, {
			...trust(),
			revoked: [{ serial: fx.pki.org.certificate.serialNumber, revokedAt: new Date(Date.now() + DAY_MS) }]
		});
		expect(rv.signatures.map((s) => s.problems.includes('CERT_REVOKED'))).toEqual([false, true]);
	});

	it('keeps a timestamped signature valid when its certificate is revoked later, not when revoked before', async () => {
		// A chair's certificate is revoked when a new one replaces it: what was signed before must still verify.
		const tsa = issueTsaCertificate(fx.pki.ca, { commonName: 'TSA thử', organization: 'HĐND', validFrom: new Date(Date.now() - DAY_MS), validTo: new Date(Date.now() + 30 * DAY_MS) });
		const stamped = await signPdf(fx.rendered, chairOptions(fx.pki.chair, { timestamp: localTimestamper(tsa) }));
		const chair = fx.pki.chair.certificate.serialNumber;
		const verdictAt = (revokedAt: Date) => verifyPdf(stamped, { ...trust(), revoked: [{ serial: chair, revokedAt }] }).signatures[0];
		const later = verdictAt(new Date(Date.now() + DAY_MS));
		expect(later.timestamp?.trusted).toBe(true);
		expect(later.problems).not.toContain('CERT_REVOKED');
		expect(verdictAt(new Date(Date.now() - DAY_MS)).problems).toContain('CERT_REVOKED');
	});

	it('returns no signatures for an unsigned PDF', () => {
		expect(verifyPdf(fx.rendered, trust()).signatures).toEqual([]);
	});

	async function signWithSignpdf(identity: SigningIdentity): Promise<Uint8Array> {
		const p12 = toPkcs12(identity.privateKey, [identity.certificate, ...identity.chain], 'pw');
		const withPlaceholder = plainAddPlaceholder({
			pdfBuffer: Buffer.from(fx.rendered),
			reason: 'test',
			contactInfo: '',
			name: 'x',
			location: 'y'
		});
		return new Uint8Array(await new SignPdf().sign(withPlaceholder, new P12Signer(Buffer.from(p12), { passphrase: 'pw' })));
	}

	it('also verifies a signature made by @signpdf (adbe.pkcs7.detached, with signing-time)', async () => {
		// ASCII names: see the next test for why.
		const ca = createRootCa({
			commonName: 'Test CA',
			organization: 'HCMC',
			validYears: 10,
			validFrom: new Date(Date.now() - 365 * DAY_MS)
		});
		// @signpdf signs at the current time, so the certificate is valid around now in any year.
		const id = issuePersonCertificate(ca, {
			commonName: 'Signer',
			organization: 'HDND',
			validFrom: new Date(Date.now() - 365 * DAY_MS),
			validTo: new Date(Date.now() + 4 * 365 * DAY_MS)
		});
		const r = verifyPdf(await signWithSignpdf(id), {
			trustedRoots: [ca.certificate]
		});
		expect(r.signatures).toHaveLength(1);
		expect(r.signatures[0]).toMatchObject({
			fieldName: 'Signature1',
			intact: true,
			chainTrusted: true,
			subFilter: 'adbe.pkcs7.detached',
			problems: []
		});
	});

	it('rejects @signpdf signatures whose issuer name forge re-encoded wrongly (Vietnamese CA names)', async () => {
		// forge's PKCS#7 writer re-encodes the parsed issuer name and double-UTF-8-encodes it, so the
		// SignerInfo no longer identifies the certificate; pdfsig reports "Unknown Validation Failure".
		const r = verifyPdf(await signWithSignpdf(fx.pki.chair), trust());
		expect(r.signatures[0].intact).toBe(false);
		expect(r.signatures[0].problems).toContain('SIGNER_CERT_NOT_FOUND');
	});
});

describe('verifyPdf on hostile input', () => {
	it('NOT_A_PDF for other bytes', () => {
		expect(codeOf(() => verifyPdf(new Uint8Array(0)))).toBe('NOT_A_PDF');
		expect(codeOf(() => verifyPdf(new TextEncoder().encode('<html>không phải PDF</html>'.repeat(10))))).toBe('NOT_A_PDF');
		expect(codeOf(() => verifyPdf('abc' as unknown as Uint8Array))).toBe('NOT_A_PDF');
	});

	it('PDF_TOO_LARGE above the size limit, before any parsing', () => {
		expect(codeOf(() => verifyPdf(fx.sealed, { maxBytes: 10_000 }))).toBe('PDF_TOO_LARGE');
	});

	it('TRUNCATED_PDF for a signed file cut short', () => {
		expect(codeOf(() => verifyPdf(fx.sealed.subarray(0, fx.sealed.length - 200)))).toBe('TRUNCATED_PDF');
		// Cut right after the last signature dictionary and given a %%EOF: no cross-reference section is left to read.
		const cut = Buffer.from(fx.sealed).toString('latin1').lastIndexOf('endobj') + 6;
		expect(codeOf(() => verifyPdf(Buffer.concat([fx.sealed.subarray(0, cut), Buffer.from('\n%%EOF\n')])))).toBe('MALFORMED_PDF');
	});

	it('MALFORMED_SIGNATURE when the ByteRange does not frame /Contents', () => {
		// Shift the second range by one byte (same text length).
		const shifted = patch(fx.sealed, /\/ByteRange \[0 \d+ \d+ \d+\s*\]/, (m) => {
			const [a, b, c, d] = m.match(/\d+/g)!.map(Number);
			return `/ByteRange [${a} ${b} ${c + 1} ${d - 1}`.padEnd(m.length - 1, ' ') + ']';
		});
		expect(codeOf(() => verifyPdf(shifted))).toBe('MALFORMED_SIGNATURE');
		const notZero = patch(fx.sealed, /\/ByteRange \[0 /, () => '/ByteRange [1 ');
		expect(codeOf(() => verifyPdf(notZero))).toBe('MALFORMED_SIGNATURE');
		const threeNumbers = patch(fx.sealed, /\/ByteRange \[0 \d+ \d+ \d+\s*\]/, (m) => `/ByteRange [0 1 2]`.padEnd(m.length, ' '));
		expect(codeOf(() => verifyPdf(threeNumbers))).toBe('MALFORMED_SIGNATURE');
	});

	it('MALFORMED_SIGNATURE for a /Contents that is not a CMS, or an empty placeholder', () => {
		const s = Buffer.from(fx.sealed).toString('latin1');
		const start = s.lastIndexOf('/Contents <') + '/Contents <'.length;
		const garbage = Buffer.from(fx.sealed);
		garbage.write('3082ffff0000', start, 'latin1'); // SEQUENCE claiming 65535 bytes
		expect(codeOf(() => verifyPdf(garbage))).toBe('MALFORMED_SIGNATURE');
		const hexEnd = s.indexOf('>', start);
		const zeros = Buffer.from(fx.sealed);
		zeros.write('0'.repeat(hexEnd - start), start, 'latin1');
		expect(codeOf(() => verifyPdf(zeros))).toBe('MALFORMED_SIGNATURE');
	});

	it('TOO_MANY_SIGNATURES above the limit', () => {
		expect(codeOf(() => verifyPdf(fx.sealed, { maxSignatures: 1 }))).toBe('TOO_MANY_SIGNATURES');
	});

	it('refuses a certificate flood before any chain work: too many certificates, or a signature dictionary over 1 MB', () => {
		const messageOf = (pdf: Uint8Array) => {
			try {
				verifyPdf(pdf, trust());
			} catch (e) {
				expect(isSigningError(e)).toBe(true);
				return (e as Error).message;
			}
			return 'verified';
		};
		expect(messageOf(new Uint8Array(certificateFloodPdf(2, 60_000).pdf))).toMatch(/^MALFORMED_SIGNATURE: \d{2,} certificates in one signature$/);
		expect(messageOf(new Uint8Array(certificateFloodPdf(2, 600_000).pdf))).toBe('MALFORMED_SIGNATURE: signature dictionary too large');
	});

	it('never throws anything but a SigningError on randomly damaged files', () => {
		// Deterministic PRNG so a failure can be reproduced.
		let seed = 20261112;
		const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
		let reported = 0;
		for (let i = 0; i < 150; i++) {
			const bad = Buffer.from(fx.sealed);
			const n = 1 + Math.floor(rnd() * 8);
			for (let k = 0; k < n; k++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
			const cutAt = rnd() < 0.2 ? Math.floor(rnd() * bad.length) : bad.length;
			try {
				const r = verifyPdf(bad.subarray(0, cutAt), trust());
				if (r.signatures.some((s) => !s.intact)) reported++;
			} catch (e) {
				expect(isSigningError(e), String(e)).toBe(true);
				reported++;
			}
		}
		// Nearly every damaged file must be noticed (a change inside /Contents padding may not be).
		expect(reported).toBeGreaterThan(120);
	});
});

describe('cli/verify.ts', () => {
	const cli = (...args: string[]) =>
		spawnSync('npx', ['tsx', 'signing/cli/verify.ts', ...args], {
			encoding: 'utf8'
		});

	it('prints a Vietnamese report and exits 0 when every signature is intact', () => {
		const dir = tmpDir();
		const r = cli(writeTmp(dir, 'nq.pdf', fx.sealed), '--ca', writeTmp(dir, 'ca.pem', fx.pki.caPem));
		expect(r.stdout).toContain('Người ký:        Nguyễn Thị Ánh Hồng');
		expect(r.stdout).toContain('Toàn vẹn:        CÓ');
		expect(r.stdout).toContain(`Thời điểm ký:    ${SIGNED_ON.dd}/${SIGNED_ON.mm}/${SIGNED_ON.yyyy} 09:30:00 (GMT+7)`);
		expect(r.status, r.stderr).toBe(0);
	});

	it('exits non-zero for a modified file and for a non-PDF', () => {
		const dir = tmpDir();
		// A hex digit of the seal's /Name: the file still reads, the seal's digest no longer matches.
		const bad = Buffer.from(fx.sealed);
		const pos = bad.toString('latin1').lastIndexOf('/Name <') + '/Name <FEFF'.length;
		bad[pos] = bad[pos] === 0x30 ? 0x31 : 0x30;
		const r = cli(writeTmp(dir, 'sua.pdf', bad));
		expect(r.stdout).toContain('Toàn vẹn:        KHÔNG');
		expect(r.status).toBe(1);
		const n = cli(writeTmp(dir, 'x.pdf', 'xin chào'));
		expect(n.stderr).toContain('Tệp không phải là tài liệu PDF.');
		expect(n.status).toBe(2);
	});
});
