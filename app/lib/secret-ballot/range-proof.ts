/**
 * Disjunctive Chaum–Pedersen proof (Cramer–Damgård–Schoenmakers) that an exponential-ElGamal ciphertext
 * (c1, c2) = (r·G, r·H + m·G) encrypts some m in [lo, hi], without saying which. For every candidate v the prover
 * shows "c2 − v·G = r·H with the r of c1 = r·G"; the true branch is proved honestly, the others are simulated, and
 * the challenges must add up to the Fiat–Shamir hash, which fixes them only after all commitments — so the prover
 * can simulate every branch but one, and that one must be true.
 * [0, 1] is the per-option proof; [min, max] on the product of all options is the "how many choices" proof.
 *
 * Commitment form (a, b, e, z per branch) rather than the shorter (e, z): the verifier then checks
 * z·G = a + e·c1 and z·H = b + e·(c2 − v·G) for all branches of a ballot in one batched multi-scalar
 * multiplication (batch.ts), several times faster than recomputing every commitment.
 */
import { type Batch } from './batch';
import { decodePoint, hexToScalar, pointToHex, scalarToHex } from './codec';
import { type Field, hashToScalar } from './hash';
import { G, type Point, ORDER, addS, gTimes, mod, mulPublic, mulS, mulSecret, randomScalar, subS } from './group';

export interface RangeBranch {
	a: string;
	b: string;
	e: string;
	z: string;
}

export interface Ciphertext<P = Point> {
	c1: P;
	c2: P;
}

/**
 * A sum of ciphertexts left as its parts: the batch then adds each part's coefficient to points it already holds
 * (the option ciphertexts) instead of multiplying one more point.
 */
export interface CiphertextSum<P = Point> {
	c1: P[];
	c2: P[];
}

/** Bound on any range (and so on the branches read from hostile input). */
export const MAX_RANGE = 64;

/**
 * `bind` must name the statement itself — the ciphertext's encoding, or the option ciphertexts a sum is made of —
 * besides the context: "strong" Fiat–Shamir, whose absence let Helios proofs be reused on other statements
 * (Bernhard, Pereira, Warinschi 2012).
 */
function challenge(bind: Field[], lo: number, hi: number, commits: string[]): bigint {
	return hashToScalar('range', [...bind, lo, hi, ...commits]);
}

/**
 * Proves that `ct` (made with randomness r under key h) encrypts `value` ∈ [lo, hi]. `cheat` exists only for tests
 * that need a ballot for a value outside the range: all branches are then simulated and the proof cannot verify.
 */
export function proveRange(
	h: Point,
	ct: Ciphertext,
	r: bigint,
	value: number,
	lo: number,
	hi: number,
	bind: Field[],
	cheat = false
): RangeBranch[] {
	const inRange = Number.isInteger(value) && value >= lo && value <= hi;
	if (!inRange && !cheat) throw new Error('secret-ballot: value outside the proved range');
	const real = inRange ? value - lo : hi - lo; // in a cheat, the last branch takes the forced challenge
	const n = hi - lo + 1;
	const es: bigint[] = [];
	const zs: bigint[] = [];
	const commits: string[] = [];
	let w = 0n;
	for (let i = 0; i < n; i++) {
		const shifted = ct.c2.subtract(gTimes(lo + i));
		if (i === real) {
			w = randomScalar();
			es.push(0n);
			zs.push(0n);
			commits.push(pointToHex(mulSecret(G, w)), pointToHex(mulSecret(h, w)));
		} else {
			const e = randomScalar();
			const z = randomScalar();
			es.push(e);
			zs.push(z);
			commits.push(
				pointToHex(mulPublic(G, z).subtract(mulPublic(ct.c1, e))),
				pointToHex(mulPublic(h, z).subtract(mulPublic(shifted, e)))
			);
		}
	}
	const c = challenge(bind, lo, hi, commits);
	es[real] = subS(
		c,
		es.reduce((s, e, i) => (i === real ? s : addS(s, e)), 0n)
	);
	zs[real] = addS(w, mulS(es[real], r));
	return es.map((e, i) => ({
		a: commits[2 * i],
		b: commits[2 * i + 1],
		e: scalarToHex(e),
		z: scalarToHex(zs[i])
	}));
}

/**
 * Checks the shape and the challenge sum of a range proof and queues its group equations into `batch` (whose
 * group decodes the commitments); the caller runs `batch.holds()`. Anything but 'ok' names what is wrong.
 */
export function queueRange<P>(
	batch: Batch<P>,
	h: P,
	ct: Ciphertext<P> | CiphertextSum<P>,
	proof: unknown,
	lo: number,
	hi: number,
	bind: Field[]
): 'ok' | 'shape' | 'point' | 'scalar' | 'challenge' {
	const n = hi - lo + 1;
	if (!Array.isArray(proof) || proof.length !== n || n > MAX_RANGE + 1) return 'shape';
	for (const br of proof) if (typeof br !== 'object' || br === null) return 'shape';
	const branches = proof as RangeBranch[];
	const commits: string[] = [];
	const parsed: { a: P; b: P; e: bigint; z: bigint }[] = [];
	for (const br of branches) {
		const a = decodePoint(batch.group, br.a, true);
		const b = decodePoint(batch.group, br.b, true);
		if (!a || !b) return 'point';
		const e = hexToScalar(br.e);
		const z = hexToScalar(br.z);
		if (e === null || z === null) return 'scalar';
		commits.push(br.a, br.b);
		parsed.push({ a, b, e, z });
	}
	const c = challenge(bind, lo, hi, commits);
	if (mod(parsed.reduce((s, p) => s + p.e, 0n)) !== c) return 'challenge';
	const c1s: P[] = Array.isArray(ct.c1) ? ct.c1 : [ct.c1];
	const c2s: P[] = Array.isArray(ct.c2) ? ct.c2 : [ct.c2];
	parsed.forEach((p, i) => {
		const v = BigInt(lo + i);
		const minusE = ORDER - p.e;
		// z·G − a − e·c1 = 0
		batch.equation([[p.a, ORDER - 1n], ...c1s.map((c): [P, bigint] => [c, minusE])], p.z);
		// z·H − b − e·c2 + e·v·G = 0
		batch.equation([[h, p.z], [p.b, ORDER - 1n], ...c2s.map((c): [P, bigint] => [c, minusE])], mulS(p.e, v));
	});
	return 'ok';
}
