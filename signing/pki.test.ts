import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { SigningError } from './errors.js';
import { messages } from './messages.js';
import { openKey } from './key-store.js';
import { certificateSummary, certificateToPem, checkCertificateUsable } from './pki.js';
import { fromPkcs12, importExternalPkcs12, toPkcs12 } from './pkcs12.js';
import { codeOf, DAY_MS, makePki, run, tmpDir, writeTmp } from './test-helpers.js';

const pki = makePki();

describe('council CA', () => {
	it('issues certificates that OpenSSL chains to the root, with Vietnamese names intact', () => {
		const dir = tmpDir();
		const ca = writeTmp(dir, 'ca.pem', pki.caPem);
		const leaf = writeTmp(dir, 'leaf.pem', certificateToPem(pki.chair.certificate));
		const v = run('openssl', ['verify', '-CAfile', ca, leaf]);
		expect(v.out).toContain(': OK');
		const text = run('openssl', ['x509', '-in', leaf, '-noout', '-text', '-nameopt', 'utf8,sep_comma_plus_space']).stdout;
		expect(text).toContain('CN=Nguyễn Thị Ánh Hồng');
		expect(text).toContain('O=HĐND phường Bến Thành');
		expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Non Repudiation/);
		expect(text).toContain('E-mail Protection');
		expect(text).toContain('1.3.6.1.5.5.7.3.36');
		expect(text).toContain('Subject Key Identifier');
		expect(text).toContain('Authority Key Identifier');
		expect(text).toContain('Public-Key: (2048 bit)');
		expect(text).toContain('sha256WithRSAEncryption');
		// AKI of the leaf = SKI of the root.
		const caText = run('openssl', ['x509', '-in', ca, '-noout', '-text']).stdout;
		const ski = /Subject Key Identifier:\s*\n\s*([0-9A-F:]+)/.exec(caText)?.[1];
		expect(ski).toBeTruthy();
		expect(text).toContain(ski!);
		expect(caText).toMatch(/CA:TRUE/);
	});

	it('gives every certificate a distinct serial and readable summary', () => {
		const a = certificateSummary(pki.chair.certificate);
		const b = certificateSummary(pki.org.certificate);
		expect(a.serial).not.toBe(b.serial);
		expect(a.commonName).toBe('Nguyễn Thị Ánh Hồng');
		expect(a.title).toBe('Chủ tịch HĐND phường');
		expect(a.issuer).toContain('CN=CA HĐND TP.HCM (thử nghiệm)');
	});
});

describe('PKCS#12', () => {
	it('round-trips key and chain under the passphrase, with AES-256 that OpenSSL reads', () => {
		const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate, ...pki.chair.chain], 'Mật khẩu #2026');
		const back = fromPkcs12(p12, 'Mật khẩu #2026');
		expect(back.certificate.serialNumber).toBe(pki.chair.certificate.serialNumber);
		expect(back.chain.map((c) => c.serialNumber)).toEqual([pki.ca.certificate.serialNumber]);
		expect(
			back.privateKey.export({ type: 'pkcs8', format: 'der' }).equals(pki.chair.privateKey.export({ type: 'pkcs8', format: 'der' }))
		).toBe(true);

		const dir = tmpDir();
		const file = writeTmp(dir, 'id.p12', p12);
		const info = run('openssl', ['pkcs12', '-in', file, '-info', '-noout', '-passin', 'pass:Mật khẩu #2026']);
		expect(info.out).toContain('AES-256-CBC');
		expect(info.status).toBe(0);
	});

	it('refuses a wrong passphrase with WRONG_PASSPHRASE and a Vietnamese message', () => {
		const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate], 'đúng');
		expect(codeOf(() => fromPkcs12(p12, 'sai'))).toBe('WRONG_PASSPHRASE');
		expect(messages.vi.WRONG_PASSPHRASE).toBe('Mật khẩu chứng thư số không đúng.');
	});

	it('refuses bytes that are not a PKCS#12', () => {
		expect(codeOf(() => fromPkcs12(new Uint8Array([1, 2, 3, 4]), 'x'))).toBe('INVALID_PKCS12');
	});

	it('imports a PKCS#12 exported by OpenSSL 3 (PBES2/AES-256, SHA-256 MAC) and seals its key', () => {
		const dir = tmpDir();
		const key = writeTmp(dir, 'key.pem', pki.org.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
		const cert = writeTmp(dir, 'cert.pem', certificateToPem(pki.org.certificate));
		const ca = writeTmp(dir, 'ca.pem', pki.caPem);
		const out = path.join(dir, 'ext.p12');
		const r = run('openssl', ['pkcs12', '-export', '-inkey', key, '-in', cert, '-certfile', ca, '-out', out, '-passout', 'pass:ngoai']);
		expect(r.status, r.out).toBe(0);
		const bytes = new Uint8Array(fs.readFileSync(out));
		const { identity, sealedKey } = importExternalPkcs12(bytes, 'ngoai', {
			newPassphrase: 'moi',
			now: new Date(),
			iterations: 2048
		});
		expect(identity.certificate.serialNumber).toBe(pki.org.certificate.serialNumber);
		expect(identity.chain).toHaveLength(1);
		expect(openKey(sealedKey, 'moi').export({ type: 'pkcs8', format: 'der' }).equals(pki.org.privateKey.export({ type: 'pkcs8', format: 'der' }))).toBe(true);
		expect(codeOf(() => importExternalPkcs12(bytes, 'sai'))).toBe('WRONG_PASSPHRASE');
		// Importing is refused when the certificate has already expired (a day after its end, whenever that is).
		const afterEnd = new Date(pki.org.certificate.validity.notAfter.getTime() + DAY_MS);
		expect(codeOf(() => importExternalPkcs12(bytes, 'ngoai', { now: afterEnd }))).toBe('CERT_EXPIRED');
	});
});

describe('checkCertificateUsable', () => {
	// Valid from a month before the run to five years after it (test-helpers.ts): the dates checked are
	// taken from the certificate itself, so the test means the same in any year.
	const cert = pki.chair.certificate;
	const { notBefore, notAfter } = cert.validity;
	it('accepts a certificate inside its validity period', () => {
		expect(codeOf(() => checkCertificateUsable(cert, new Date(), []))).toBeUndefined();
	});
	it('refuses expired, not-yet-valid and revoked certificates with their codes', () => {
		expect(codeOf(() => checkCertificateUsable(cert, new Date(notAfter.getTime() + DAY_MS), []))).toBe('CERT_EXPIRED');
		expect(codeOf(() => checkCertificateUsable(cert, new Date(notBefore.getTime() - DAY_MS), []))).toBe('CERT_NOT_YET_VALID');
		// Serial written differently (upper case, leading zeros, colons) still matches.
		const serial = `00:${cert.serialNumber.toUpperCase().match(/../g)!.join(':')}`;
		expect(codeOf(() => checkCertificateUsable(cert, new Date(), ['abcdef', serial]))).toBe('CERT_REVOKED');
		expect(codeOf(() => checkCertificateUsable(cert, new Date(), ['abcdef']))).toBeUndefined();
	});
	it('is a SigningError with a stable code', () => {
		const e = new SigningError('CERT_REVOKED');
		expect(e).toBeInstanceOf(Error);
		expect(e.code).toBe('CERT_REVOKED');
		expect(forge.pki.certificateToPem(cert)).toContain('BEGIN CERTIFICATE');
	});
});
