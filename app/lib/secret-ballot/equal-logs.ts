/**
 * Proof that one secret x is the discrete log of every public point over its base: Xᵢ = x·Bᵢ. With one base it
 * is a Schnorr proof of knowledge (a committee member's constant term); with two it is a Chaum–Pedersen DLEQ proof
 * (a partial decryption D = x·A made with the same x as the verification key Y = x·G). Challenge form (e, z):
 * compact, and these proofs are few (members × options), so they are checked one by one — in any `Group` (the
 * server's libsodium one among them); proving stays on noble, on the prover's own device.
 */
import { hexToScalar, scalarToHex } from './codec';
import { type Field, hashToScalar } from './hash';
import { type Group, type Point, addS, mulS, mulSecret, defaultGroup, nobleGroup, randomScalar } from './group';

export interface LogProof {
	e: string;
	z: string;
}

function challenge<P>(group: Group<P>, purpose: string, bind: Field[], bases: P[], publics: P[], commits: P[]): bigint {
	return hashToScalar(purpose, [...bind, bases.length, ...[...bases, ...publics, ...commits].map((p) => group.encode(p))]);
}

export function proveEqualLogs(purpose: string, bind: Field[], bases: Point[], publics: Point[], x: bigint): LogProof {
	const w = randomScalar();
	const commits = bases.map((b) => mulSecret(b, w));
	const e = challenge(nobleGroup, purpose, bind, bases, publics, commits);
	return { e: scalarToHex(e), z: scalarToHex(addS(w, mulS(e, x))) };
}

/** True only for a well-formed proof that verifies; never throws on hostile input. */
export function checkEqualLogs<P = Point>(
	purpose: string,
	bind: Field[],
	bases: P[],
	publics: P[],
	proof: unknown,
	group: Group<P> = defaultGroup<P>()
): boolean {
	if (typeof proof !== 'object' || proof === null) return false;
	const e = hexToScalar((proof as LogProof).e);
	const z = hexToScalar((proof as LogProof).z);
	if (e === null || z === null || bases.length !== publics.length) return false;
	// a = z·B − e·X reproduces the prover's commitment only if X = x·B with the x behind z.
	const commits = bases.map((b, i) => group.sub(group.mulPublic(b, z), group.mulPublic(publics[i], e)));
	return challenge(group, purpose, bind, bases, publics, commits) === e;
}
