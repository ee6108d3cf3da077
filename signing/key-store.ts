/**
 * How a signing key is kept at rest: an encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo; PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC), which node:crypto opens natively with `createPrivateKey`. Its certificates
 * are stored beside it as plain DER: they are public, and only the key needs the passphrase.
 *
 * Node's own `KeyObject.export({ cipher, passphrase })` writes the same structure but with OpenSSL's default 2,048
 * iterations and no way to ask for more, so the few DER lines of the structure are written here.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { readTlv, TAG } from './der.js';
import { SigningError } from './errors.js';

/**
 * PBKDF2 iterations of the keys written from now on: OWASP's figure for PBKDF2-HMAC-SHA256 (2023). The stored key is
 * what a database dump exposes to offline guessing, so this is what each guessed passphrase costs; opening one costs
 * ~0.3 s of CPU here, which a signature can afford (in the worker pool, never on the event loop).
 */
export const KEY_STORE_ITERATIONS = 600_000;

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';

const { asn1 } = forge;

/**
 * Encrypts `key` under `passphrase` (its UTF-8 bytes, as OpenSSL reads a passphrase) as an encrypted PKCS#8 DER.
 * `openssl pkcs8 -in key.der -inform DER` opens it as well.
 */
export function sealKey(key: crypto.KeyObject, passphrase: string, iterations = KEY_STORE_ITERATIONS): Buffer {
	if (!passphrase) throw new SigningError('WRONG_PASSPHRASE', 'an empty passphrase is not allowed');
	const salt = crypto.randomBytes(16);
	const iv = crypto.randomBytes(16);
	const aesKey = crypto.pbkdf2Sync(Buffer.from(passphrase, 'utf8'), salt, iterations, 32, 'sha256');
	const plain = key.export({ type: 'pkcs8', format: 'der' });
	const cipher = crypto.createCipheriv('aes-256-cbc', aesKey, iv);
	const encrypted = Buffer.concat([cipher.update(plain), cipher.final()]);
	plain.fill(0);
	aesKey.fill(0);
	const { Class, Type } = asn1;
	const seq = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, v);
	const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
	const int = (n: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
	const octets = (b: Buffer) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, b.toString('binary'));
	const nul = asn1.create(Class.UNIVERSAL, Type.NULL, false, '');
	const info = seq([
		seq([
			oid(OID_PBES2),
			seq([seq([oid(OID_PBKDF2), seq([octets(salt), int(iterations), int(32), seq([oid(OID_HMAC_SHA256), nul])])]), seq([oid(OID_AES256_CBC), octets(iv)])])
		]),
		octets(encrypted)
	]);
	return Buffer.from(asn1.toDer(info).getBytes(), 'binary');
}

/**
 * Opens a key written by `sealKey` (or any encrypted PKCS#8 OpenSSL reads). `passphrase` is a string (UTF-8) or
 * the exact bytes the file was encrypted with. Bytes that are not one DER structure are INVALID_PKCS12; once they
 * are, any failure to decrypt is WRONG_PASSPHRASE (a wrong key ends either in bad padding or, 1 time in 256, in a
 * plaintext that is not DER: both mean the same).
 */
export function openKey(sealed: Uint8Array, passphrase: string | Buffer): crypto.KeyObject {
	const der = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
	let whole = false;
	try {
		const t = readTlv(der, 0);
		whole = t.tag === TAG.SEQUENCE && t.end === der.length;
	} catch {
		whole = false;
	}
	if (!whole) throw new SigningError('INVALID_PKCS12', 'not an encrypted PKCS#8');
	try {
		return crypto.createPrivateKey({
			key: der,
			format: 'der',
			type: 'pkcs8',
			passphrase
		});
	} catch (e) {
		throw new SigningError('WRONG_PASSPHRASE', undefined, { cause: e });
	}
}
