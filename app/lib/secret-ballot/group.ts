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
import { mulAddUnsafe, pippenger } from '@noble/curves/abstract/curve.js';
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

// Strauss–Shamir (one wNAF table per point) is faster for a ballot's ~20 points; Pippenger's buckets win from a
// few hundred points on (measured in Node 20: equal at 200), i.e. for a whole board checked in one equation.
const PIPPENGER_FROM = 256;

/**
 * Σ sᵢ·Pᵢ with shared doublings: the batch verifier's whole cost. Public scalars only.
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
	if (ps.length === 0) return IDENTITY;
	return ps.length < PIPPENGER_FROM ? mulAddUnsafe(Point, ps, ss) : pippenger(Point, ps, ss);
}

/**
 * What a verifier needs from the group, so that one verifier (range-proof.ts, ballot.ts, verify-tally.ts) runs
 * over more than one implementation: noble's (below; the browser and anywhere) and libsodium's WebAssembly on the
 * server (app/lib/server/secret-ballot/group-sodium.ts). Public values only: nothing here is constant-time.
 * ristretto255 encodings are canonical, so both give the same bytes for the same point.
 */
export interface Group<P> {
	readonly name: string;
	readonly G: P;
	readonly IDENTITY: P;
	/** The point of a canonical encoding (64 lowercase hex digits already checked), or null. */
	decode(hex: string): P | null;
	encode(p: P): string;
	isIdentity(p: P): boolean;
	add(a: P, b: P): P;
	sub(a: P, b: P): P;
	mulPublic(p: P, s: bigint): P;
	/** Σ sᵢ·Pᵢ (scalars any bigint, reduced mod ℓ). */
	multiScalar(points: P[], scalars: bigint[]): P;
	/**
	 * True when `multiScalar` shares its doublings across terms (Strauss, Pippenger): folding many equations into
	 * one then costs little more than one. libsodium has no such routine — each term is a full multiplication —
	 * so there folding gains nothing and a failing board is better found ballot by ballot.
	 */
	readonly sharedMultiScalar: boolean;
}

/**
 * noble's group where a verifier generic in P is called without one (P then defaults to Point): the browser's and
 * the public page's group; the server passes libsodium's.
 */
export function defaultGroup<P>(): Group<P> {
	return nobleGroup as unknown as Group<P>;
}

export const nobleGroup: Group<Point> = {
	name: '@noble/curves',
	G,
	IDENTITY,
	decode(hex) {
		try {
			return Point.fromHex(hex);
		} catch {
			return null;
		}
	},
	encode: (p) => p.toHex(),
	isIdentity: (p) => p.is0(),
	add: (a, b) => a.add(b),
	sub: (a, b) => a.subtract(b),
	mulPublic,
	multiScalar,
	sharedMultiScalar: true
};
