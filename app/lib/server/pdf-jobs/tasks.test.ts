import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateToDer, openKey, sealKey, toPkcs12 } from '../../../../signing/index';
import { makePki } from '../../../../signing/test-helpers';
import { importKeyJob, lockKeyJob, unlockKeyJob } from './tasks';

const pki = makePki();
const PASS = 'Mật khẩu của Chủ tịch 2026';
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const keyHex = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'der' }).toString('hex');
const chairCerts = [pki.chair.certificate, ...pki.chair.chain].map((c) => new Uint8Array(certificateToDer(c)));

describe('key jobs of the worker pool', () => {
	it('unlocks an encrypted PKCS#8 key with its stored certificates, and answers a wrong passphrase with its code', () => {
		const stored = { format: 'pkcs8' as const, sealedKey: sealKey(pki.chair.privateKey, PASS, 2048), certificates: chairCerts };
		const out = unlockKeyJob({ stored, passphrase: PASS });
		if (!out.ok) throw new Error(out.code);
		expect(hex(out.material.key)).toBe(keyHex(pki.chair.privateKey));
		expect(out.material.certificates.map(hex)).toEqual(chairCerts.map(hex));
		expect(out.converted).toBeUndefined();
		expect(unlockKeyJob({ stored, passphrase: 'sai' })).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
	});

	it('converts a PKCS#12 store once its passphrase opens it: the same key, sealed as encrypted PKCS#8 under that passphrase', () => {
		const p12 = toPkcs12(pki.chair.privateKey, [pki.chair.certificate, ...pki.chair.chain], PASS);
		expect(unlockKeyJob({ stored: { format: 'pkcs12', p12 }, passphrase: 'sai' })).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
		const out = unlockKeyJob({ stored: { format: 'pkcs12', p12 }, passphrase: PASS });
		if (!out.ok) throw new Error(out.code);
		expect(out.material.certificates.map(hex)).toEqual(chairCerts.map(hex));
		expect(keyHex(openKey(out.converted!, PASS))).toBe(keyHex(pki.chair.privateKey));
	});

	it('locks a key as encrypted PKCS#8', () => {
		const sealed = lockKeyJob({ key: new Uint8Array(pki.org.privateKey.export({ type: 'pkcs8', format: 'der' })), passphrase: PASS });
		expect(keyHex(openKey(sealed, PASS))).toBe(keyHex(pki.org.privateKey));
	});

	it('imports a .p12: sealed under the new passphrase, or only opened when there is none; refusals as codes', () => {
		const p12 = toPkcs12(pki.org.privateKey, [pki.org.certificate, ...pki.org.chain], '1234');
		const now = new Date();
		const checked = importKeyJob({ p12, passphrase: '1234', newPassphrase: null, now, revokedSerials: [] });
		expect(checked).toMatchObject({ ok: true, sealedKey: null });
		const imported = importKeyJob({ p12, passphrase: '1234', newPassphrase: PASS, now, revokedSerials: [] });
		if (!imported.ok) throw new Error(imported.code);
		expect(keyHex(openKey(imported.sealedKey!, PASS))).toBe(keyHex(pki.org.privateKey));
		expect(importKeyJob({ p12, passphrase: '9999', newPassphrase: PASS, now, revokedSerials: [] })).toEqual({ ok: false, code: 'WRONG_PASSPHRASE' });
		expect(importKeyJob({ p12, passphrase: '1234', newPassphrase: PASS, now, revokedSerials: [pki.org.certificate.serialNumber] })).toEqual({
			ok: false,
			code: 'CERT_REVOKED'
		});
		expect(importKeyJob({ p12: new Uint8Array([1, 2, 3]), passphrase: '1234', newPassphrase: PASS, now, revokedSerials: [] })).toEqual({
			ok: false,
			code: 'INVALID_PKCS12'
		});
	});
});
