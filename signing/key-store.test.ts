import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KEY_STORE_ITERATIONS, openKey, sealKey } from './key-store.js';
import { codeOf, makePki, run, tmpDir, writeTmp } from './test-helpers.js';

const pki = makePki();
const VI = 'Mật khẩu #2026 của Chủ tịch';
const der = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'der' }).toString('hex');

/** The PBKDF2 iteration count written in an EncryptedPrivateKeyInfo, read back by OpenSSL. */
function opensslIterations(sealed: Buffer): number {
	const dir = tmpDir();
	const file = writeTmp(dir, 'key.der', sealed);
	const r = run('openssl', ['asn1parse', '-inform', 'DER', '-in', file]);
	// Salt, then the iteration count: the first INTEGER of the structure.
	const m = /INTEGER\s*:([0-9A-F]+)/.exec(r.stdout);
	return parseInt(m![1], 16);
}

describe('key store (encrypted PKCS#8)', () => {
	it('seals with 600,000 PBKDF2-SHA256 iterations by default, and opens the same key natively', () => {
		expect(KEY_STORE_ITERATIONS).toBe(600_000);
		const sealed = sealKey(pki.chair.privateKey, VI);
		expect(opensslIterations(sealed)).toBe(600_000);
		expect(der(openKey(sealed, VI))).toBe(der(pki.chair.privateKey));
		// What node:crypto itself accepts, without this module.
		const native = crypto.createPrivateKey({
			key: sealed,
			format: 'der',
			type: 'pkcs8',
			passphrase: VI
		});
		expect(der(native)).toBe(der(pki.chair.privateKey));
	});

	it('is what OpenSSL reads as PBES2 / PBKDF2-HMAC-SHA256 / AES-256-CBC under the UTF-8 passphrase', () => {
		const sealed = sealKey(pki.org.privateKey, VI, 2048);
		const dir = tmpDir();
		const file = writeTmp(dir, 'key.der', sealed);
		const r = run('openssl', ['pkcs8', '-inform', 'DER', '-in', file, '-passin', `pass:${VI}`, '-outform', 'DER', '-out', `${file}.plain`]);
		expect(r.status, r.out).toBe(0);
		const text = run('openssl', ['asn1parse', '-inform', 'DER', '-in', file]).stdout;
		expect(text).toContain('PBES2');
		expect(text).toContain('hmacWithSHA256');
		expect(text).toContain('aes-256-cbc');
	});

	it('refuses a wrong passphrase with WRONG_PASSPHRASE and bytes that are not a key store with INVALID_PKCS12', () => {
		const sealed = sealKey(pki.chair.privateKey, 'đúng mật khẩu', 2048);
		expect(codeOf(() => openKey(sealed, 'sai mật khẩu'))).toBe('WRONG_PASSPHRASE');
		expect(codeOf(() => openKey(new Uint8Array([1, 2, 3, 4]), 'x'))).toBe('INVALID_PKCS12');
		expect(codeOf(() => openKey(sealed.subarray(0, sealed.length - 10), 'đúng mật khẩu'))).toBe('INVALID_PKCS12');
		expect(codeOf(() => sealKey(pki.chair.privateKey, ''))).toBe('WRONG_PASSPHRASE');
	});

	it('uses a fresh salt and IV each time', () => {
		const a = sealKey(pki.chair.privateKey, 'pw', 1000);
		const b = sealKey(pki.chair.privateKey, 'pw', 1000);
		expect(a.equals(b)).toBe(false);
	});
});
