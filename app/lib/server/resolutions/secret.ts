import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { serverKey } from '../secrets';

// The key that encrypts the councils' CA private keys and the TSA's at rest (secrets.ts, purpose 'ca-keys': kept out
// of the database, so a dump alone cannot issue certificates or timestamps).
const caKeySecret = () => serverKey('ca-keys');

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
