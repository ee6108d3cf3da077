/**
 * The group every secret-ballot proof lives in: ristretto255 (prime order ℓ, no cofactor, so no small-subgroup
 * tricks) from @noble/curves, which runs unchanged in the browser and in Node. Scalars are bigints mod ℓ.
 *
 * Two multiplications on purpose: `mulSecret` for scalars that must stay secret (ballot randomness, key shares,
 * proof nonces) uses noble's constant-time ladder; `mulPublic` for scalars everyone sees (challenges, responses,
 * small plaintexts) uses the faster variable-time path. BigInt arithmetic is not strictly constant-time in any JS
 * engine; the secret scalars only ever exist on the owner's own device, where a timing observer is already inside.
 */
import { ristretto255 } from '@noble/curves/ed25519.js';
import { mulAddUnsafe } from '@noble/curves/abstract/curve.js';
import { bytesToNumberLE } from '@noble/curves/utils.js';
import { randomBytes } from '@noble/hashes/utils.js';

export const Point = ristretto255.Point;
export type Point = InstanceType<typeof ristretto255.Point>;

/** ℓ, the prime order of the group. */
export const ORDER: bigint = Point.Fn.ORDER;
export const G: Point = Point.BASE;
export const IDENTITY: Point = Point.ZERO;

export function mod(a: bigint): bigint {
	const r = a % ORDER;
	return r < 0n ? r + ORDER : r;
}

export const addS = (a: bigint, b: bigint): bigint => mod(a + b);
export const subS = (a: bigint, b: bigint): bigint => mod(a - b);
export const mulS = (a: bigint, b: bigint): bigint => mod(a * b);

export function invS(a: bigint): bigint {
	if (mod(a) === 0n) throw new Error('secret-ballot: no inverse of 0');
	return Point.Fn.inv(mod(a));
}

/**
 * A uniformly random non-zero scalar: 64 random bytes reduced mod ℓ (bias below 2⁻²⁵⁰). Zero has probability
 * ~2⁻⁵¹², so the retry is bounded rather than a loop that could in theory spin.
 */
export function randomScalar(): bigint {
	for (let i = 0; i < 4; i++) {
		const s = mod(bytesToNumberLE(randomBytes(64)));
		if (s !== 0n) return s;
	}
	throw new Error('secret-ballot: random source returned zeros');
}

/** A random 128-bit weight for batch verification (2⁻¹²⁸ chance that a false equation slips through). */
export function randomWeight(): bigint {
	return bytesToNumberLE(randomBytes(16)) | 1n;
}

/** s·P for a secret s (constant-time ladder). Zero gives the identity (noble refuses 0). */
export function mulSecret(p: Point, s: bigint): Point {
	const k = mod(s);
	return k === 0n ? IDENTITY : p.multiply(k);
}

/** s·P for a public s (variable time, faster). */
export function mulPublic(p: Point, s: bigint): Point {
	const k = mod(s);
	return k === 0n ? IDENTITY : p.multiplyUnsafe(k);
}

/** m·G for a small public integer m (a count or a plaintext value, possibly negative in a forged ballot). */
export function gTimes(m: number | bigint): Point {
	return mulPublic(G, BigInt(m));
}

/**
 * Σ sᵢ·Pᵢ in one Strauss–Shamir pass (shared doublings): the batch verifier's whole cost. Public scalars only.
 */
export function multiScalar(points: Point[], scalars: bigint[]): Point {
	const ps: Point[] = [];
	const ss: bigint[] = [];
	for (let i = 0; i < points.length; i++) {
		const s = mod(scalars[i]);
		if (s !== 0n && !points[i].is0()) {
			ps.push(points[i]);
			ss.push(s);
		}
	}
	return ps.length === 0 ? IDENTITY : mulAddUnsafe(Point, ps, ss);
}
