/**
 * Fiat–Shamir hashing: SHA-512 over a domain-separation tag, a purpose and typed, length-prefixed fields, reduced
 * mod ℓ (512 bits into a 253-bit order: bias below 2⁻²⁵⁹). Length prefixes and type bytes make the encoding
 * injective, so ("ab","c") and ("a","bc") — or a string and the number it spells — can never collide.
 * Points are hashed by their canonical hex (codec.ts), which the verifier already holds without re-encoding.
 */
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { mod } from './group';

export const DOMAIN = 'nghi-truong-so/secret-ballot/v1';

/** A string (ids, hex encodings) or a non-negative safe integer (indices, bounds). */
export type Field = string | number;

function u32(n: number): Uint8Array {
	const b = new Uint8Array(4);
	new DataView(b.buffer).setUint32(0, n);
	return b;
}

function encodeField(f: Field): Uint8Array {
	if (typeof f === 'number') {
		if (!Number.isSafeInteger(f) || f < 0) throw new Error('secret-ballot: hash field must be a non-negative integer');
		const b = new Uint8Array(9);
		b[0] = 0x69; // 'i'
		new DataView(b.buffer).setBigUint64(1, BigInt(f));
		return b;
	}
	const s = utf8ToBytes(f);
	return concatBytes(new Uint8Array([0x73]), u32(s.length), s); // 's'
}

export function transcript(purpose: string, fields: Field[]): Uint8Array {
	return concatBytes(encodeField(DOMAIN), encodeField(purpose), u32(fields.length), ...fields.map(encodeField));
}

/** The Fiat–Shamir challenge for `purpose` over `fields`. */
export function hashToScalar(purpose: string, fields: Field[]): bigint {
	return mod(bytesToNumberLE(sha512(transcript(purpose, fields))));
}

/** A SHA-256 digest as hex, over the same injective encoding (trackers). */
export function digestHex(purpose: string, fields: Field[]): string {
	return bytesToHex(sha256(transcript(purpose, fields)));
}
