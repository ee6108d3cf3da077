import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { openKey } from './key-store.js';
import { certificateToDer, certificateToPem, type SigningIdentity } from './pki.js';
import { forgeKeyBytes, fromPkcs12, identityOf, importExternalPkcs12, openStoredPkcs12, toPkcs12 } from './pkcs12.js';
import { codeOf, makePki, run, tmpDir, writeTmp } from './test-helpers.js';

const pki = makePki();
const VI = 'Mật khẩu #2026 của Chủ tịch';

/** OpenSSL `pkcs12 -export` of the council's org identity (key, cert, CA) with extra options. */
function opensslP12(pass: string, extra: string[] = []): Uint8Array {
	const dir = tmpDir();
	const key = writeTmp(dir, 'key.pem', pki.org.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
	const cert = writeTmp(dir, 'cert.pem', certificateToPem(pki.org.certificate));
	const ca = writeTmp(dir, 'ca.pem', pki.caPem);
	const out = path.join(dir, 'out.p12');
	const r = run('openssl', ['pkcs12', '-export', ...extra, '-inkey', key, '-in', cert, '-certfile', ca, '-out', out, '-passout', `pass:${pass}`]);
	expect(r.status, r.out).toBe(0);
	return new Uint8Array(fs.readFileSync(out));
}

const pkcs8 = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'der' }).toString('hex');
const der = (c: forge.pki.Certificate) => Buffer.from(certificateToDer(c)).toString('hex');

/** The expected key bit for bit, its certificate, and the chain up to the test CA. */
function expectIdentity(got: SigningIdentity, expected: SigningIdentity) {
	expect(pkcs8(got.privateKey)).toBe(pkcs8(expected.privateKey));
	expect(der(got.certificate)).toBe(der(expected.certificate));
	expect(got.chain.map(der)).toEqual([der(pki.ca.certificate)]);
}

describe('importing a PKCS#12 (forge)', () => {
	it('opens OpenSSL 3 files (PBES2/AES-256, SHA-256 MAC) and legacy ones (3DES, RC2-free), chain ordered', () => {
		expectIdentity(fromPkcs12(opensslP12('ngoai'), 'ngoai'), pki.org);
		expectIdentity(fromPkcs12(opensslP12('cu', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']), 'cu'), pki.org);
		expect(codeOf(() => fromPkcs12(opensslP12('ngoai'), 'sai'))).toBe('WRONG_PASSPHRASE');
	});

	it('finds the signer among certificates in any order (X509Certificate: key match, issuer and signature)', () => {
		const certs = [pki.ca.certificate, pki.chair.certificate, pki.org.certificate].map((c) => Buffer.from(certificateToDer(c)));
		expectIdentity(identityOf(pki.chair.privateKey, certs), pki.chair);
		expect(codeOf(() => identityOf(pki.chair.privateKey, [certs[0], certs[2]]))).toBe('KEY_CERT_MISMATCH');
		expect(codeOf(() => identityOf(pki.chair.privateKey, [Buffer.from('not a certificate')]))).toBe('INVALID_PKCS12');
	});

	it('refuses garbage and truncated files as INVALID_PKCS12', () => {
		expect(codeOf(() => fromPkcs12(new Uint8Array([1, 2, 3, 4]), 'x'))).toBe('INVALID_PKCS12');
		expect(codeOf(() => fromPkcs12(crypto.randomBytes(2000), 'x'))).toBe('INVALID_PKCS12');
		const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate, ...pki.chair.chain], 'pw');
		expect(codeOf(() => fromPkcs12(p12.subarray(0, p12.length - 40), 'pw'))).toBe('INVALID_PKCS12');
	});

	it('seals the imported key as encrypted PKCS#8 under the new passphrase', () => {
		const { identity, sealedKey } = importExternalPkcs12(opensslP12('ngoai'), 'ngoai', { newPassphrase: VI, iterations: 2048 });
		expectIdentity(identity, pki.org);
		expect(pkcs8(openKey(sealedKey, VI))).toBe(pkcs8(pki.org.privateKey));
		expect(codeOf(() => openKey(sealedKey, 'ngoai'))).toBe('WRONG_PASSPHRASE');
	});
});

describe('stores written by earlier versions (PKCS#12 in the database)', () => {
	it('opens the 600,000-iteration store the previous version wrote, natively, with its Vietnamese passphrase', () => {
		// testdata/legacy-store-600k.p12 was written by the previous signing/pki.ts toPkcs12 (PBES2 with forge's
		// passphrase bytes, SHA-256 MAC, 600,000 iterations each), for a 30-year certificate under its own test CA.
		const file = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'legacy-store-600k.p12');
		const bytes = new Uint8Array(fs.readFileSync(file));
		const t = performance.now();
		const id = openStoredPkcs12(bytes, 'Mật khẩu kho cũ 2026');
		// Native PBKDF2 (forge's pure-JS reader needs many seconds for this file).
		expect(performance.now() - t).toBeLessThan(5_000);
		expect(id.certificate.subject.getField('CN')).toBeTruthy();
		expect(new crypto.X509Certificate(certificateToDer(id.certificate)).checkPrivateKey(id.privateKey)).toBe(true);
		expect(id.chain).toHaveLength(1);
		expect(codeOf(() => openStoredPkcs12(bytes, 'Mật khẩu kho cũ 2025'))).toBe('WRONG_PASSPHRASE');
	});

	it('opens forge-written stores (the first layout) under the passphrase bytes forge used, not UTF-8', () => {
		expect(forgeKeyBytes(VI).equals(Buffer.from(VI, 'utf8'))).toBe(false);
		expect(forgeKeyBytes('abc').equals(Buffer.from('abc'))).toBe(true);
		const salt = crypto.randomBytes(16);
		for (const pass of ['plain ascii', 'Latin-1 é ü', VI, 'ẫẫẫẫẫ']) {
			const want = forge.pkcs5.pbkdf2(pass, salt.toString('binary'), 3, 32, forge.md.sha256.create());
			expect(crypto.pbkdf2Sync(forgeKeyBytes(pass), salt, 3, 32, 'sha256').toString('binary'), pass).toBe(want);
		}
		const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate, ...pki.chair.chain], VI);
		expectIdentity(openStoredPkcs12(p12, VI), pki.chair);
		expect(codeOf(() => openStoredPkcs12(p12, 'Mat khau'))).toBe('WRONG_PASSPHRASE');
	});

	it('hands a file of another layout to forge', () => {
		const p12 = opensslP12('ngoai'); // OpenSSL encrypts its certificate bags: not a layout this app wrote
		expectIdentity(openStoredPkcs12(p12, 'ngoai'), pki.org);
		expect(codeOf(() => openStoredPkcs12(p12, 'sai'))).toBe('WRONG_PASSPHRASE');
	});
});
