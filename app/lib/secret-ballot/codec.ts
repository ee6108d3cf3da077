/**
 * Hex encoding of points and scalars, one canonical spelling per value: 64 lowercase hex digits. Decoding refuses
 * anything else — upper case, wrong length, a point that is not a canonical ristretto255 encoding (RFC 9496 §4.3.1
 * decoding rejects non-canonical and negative field elements), the identity where it must not appear, a scalar ≥ ℓ.
 * A unique spelling matters: trackers are hashes of these strings and duplicate ciphertexts are found by comparing
 * them. Decoders return null instead of throwing, so a verifier fed hostile JSON can name a reason and carry on.
 */
import { bytesToNumberLE, numberToBytesLE } from '@noble/curves/utils.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { type Group, ORDER, type Point, mod, nobleGroup } from './group';

const HEX64 = /^[0-9a-f]{64}$/;

export function pointToHex(p: Point): string {
	return p.toHex();
}

export function scalarToHex(s: bigint): string {
	return bytesToHex(numberToBytesLE(mod(s), 32));
}

export function isHex64(value: unknown): value is string {
	return typeof value === 'string' && HEX64.test(value);
}

/** A point from its canonical hex in `group`, or null. The identity is refused unless `allowIdentity`. */
export function decodePoint<P>(group: Group<P>, value: unknown, allowIdentity = false): P | null {
	if (!isHex64(value)) return null;
	const p = group.decode(value);
	return p === null || (!allowIdentity && group.isIdentity(p)) ? null : p;
}

/** A point from its canonical hex, or null. The identity is refused unless `allowIdentity`. */
export function hexToPoint(value: unknown, allowIdentity = false): Point | null {
	return decodePoint(nobleGroup, value, allowIdentity);
}

/** A scalar from its canonical hex (32 bytes little-endian, < ℓ), or null. */
export function hexToScalar(value: unknown): bigint | null {
	if (!isHex64(value)) return null;
	const s = bytesToNumberLE(hexToBytes(value));
	return s < ORDER ? s : null;
}

/** The throwing forms, for data the caller itself produced or already validated (export files, own keys). */
export function mustPoint(value: unknown, what: string, allowIdentity = false): Point {
	const p = hexToPoint(value, allowIdentity);
	if (!p) throw new Error(`secret-ballot: invalid point (${what})`);
	return p;
}

export function mustScalar(value: unknown, what: string): bigint {
	const s = hexToScalar(value);
	if (s === null) throw new Error(`secret-ballot: invalid scalar (${what})`);
	return s;
}
