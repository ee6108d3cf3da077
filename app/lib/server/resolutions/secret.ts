import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { secretFile } from '../secret-file';

let cached: Buffer | undefined;

/**
 * The key that encrypts the councils' CA private keys at rest: CA_KEY_SECRET, or a file beside the embedded data
 * (DATA_DIR/secrets/ca.key). Kept out of the database so a dump alone cannot issue certificates. Never logged.
 */
function caKeySecret(): Buffer {
	if (cached) return cached;
	const raw = process.env.CA_KEY_SECRET || secretFile('ca.key');
	return (cached = createHash('sha256').update('nghi-truong-so/ca-key\u0000').update(raw, 'utf8').digest());
}

/** AES-256-GCM: 12-byte IV ‖ 16-byte tag ‖ ciphertext. */
export function sealSecret(plain: Uint8Array, aad: string): Uint8Array {
	const iv = randomBytes(12);
	const cipher = createCipheriv('aes-256-gcm', caKeySecret(), iv);
	cipher.setAAD(Buffer.from(aad, 'utf8'));
	const body = Buffer.concat([cipher.update(plain), cipher.final()]);
	return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

export function openSecret(sealed: Uint8Array, aad: string): Buffer {
	const buf = Buffer.from(sealed);
	const decipher = createDecipheriv('aes-256-gcm', caKeySecret(), buf.subarray(0, 12));
	decipher.setAAD(Buffer.from(aad, 'utf8'));
	decipher.setAuthTag(buf.subarray(12, 28));
	return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]);
}
