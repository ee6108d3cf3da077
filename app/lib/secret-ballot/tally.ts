/**
 * The count: multiply the ciphertexts option by option (adding the points adds the plaintexts), then each member
 * decrypts the SUMS partially — Dⱼ = xⱼ·ΣC1 with a Chaum–Pedersen proof that it used the x behind its verification
 * key — and any t valid partials, weighted by Lagrange coefficients, give ΣC1·x, hence (ΣC2 − x·ΣC1) = count·G
 * and the count by a bounded discrete log. No single ballot is ever decrypted, by anyone.
 */
import { type Ballot } from './ballot';
import { decodePoint, mustPoint, mustScalar, pointToHex } from './codec';
import { boundedLog } from './dlog';
import { checkEqualLogs, type LogProof, proveEqualLogs } from './equal-logs';
import { G, type Group, type Point, invS, mulS, mulSecret, defaultGroup, nobleGroup, subS } from './group';
import type { Ciphertext } from './range-proof';
import type { MemberSecret } from './committee';

/** The product of all ballots' ciphertexts for one option. */
export interface EncryptedSum {
	c1: string;
	c2: string;
}

export interface PartialDecryption {
	/** 1-based member index. */
	index: number;
	/** One per option: D = xⱼ·ΣC1 and its proof. */
	shares: { d: string; proof: LogProof }[];
}

export interface TallyContext {
	voteId: string;
	publicKey: string;
}

/** Option-wise sums of already verified ciphertexts (decoded once by the caller), in any group. */
export function sumCiphertexts<P>(
	group: Group<P>,
	ballots: readonly Ciphertext<P>[][],
	options: number
): Ciphertext<P>[] {
	const sums = Array.from({ length: options }, () => ({
		c1: group.IDENTITY,
		c2: group.IDENTITY
	}));
	for (const cts of ballots) {
		if (cts.length !== options) throw new Error('secret-ballot: ballot with a different number of options');
		cts.forEach((ct, i) => {
			sums[i].c1 = group.add(sums[i].c1, ct.c1);
			sums[i].c2 = group.add(sums[i].c2, ct.c2);
		});
	}
	return sums;
}

/** The encrypted sums of verified ballots, as published on the board. */
export function aggregateBallots(ballots: readonly Ballot[], options: number): EncryptedSum[] {
	const decoded = ballots.map((b) =>
		b.options.map((o) => ({
			c1: mustPoint(o.c1, 'c1'),
			c2: mustPoint(o.c2, 'c2')
		}))
	);
	return encodeSums(nobleGroup, sumCiphertexts(nobleGroup, decoded, options));
}

export function encodeSums<P>(group: Group<P>, sums: readonly Ciphertext<P>[]): EncryptedSum[] {
	return sums.map((s) => ({ c1: group.encode(s.c1), c2: group.encode(s.c2) }));
}

const partialBind = (ctx: TallyContext, index: number, option: number, c1: string) => [
	'partial',
	ctx.voteId,
	ctx.publicKey,
	index,
	option,
	c1
];

/** Member's partial decryption of every sum, with proofs. Runs on the member's device with its secret share. */
export function partialDecrypt(secret: MemberSecret, sums: readonly EncryptedSum[]): PartialDecryption {
	const x = mustScalar(secret.secretShare, 'secretShare');
	const y = mustPoint(secret.verificationKey, 'verificationKey');
	const ctx = { voteId: secret.voteId, publicKey: secret.publicKey };
	return {
		index: secret.index,
		shares: sums.map((s, option) => {
			const a = mustPoint(s.c1, 'sum', true);
			const d = mulSecret(a, x);
			const proof = proveEqualLogs('partial', partialBind(ctx, secret.index, option, s.c1), [G, a], [y, d], x);
			return { d: pointToHex(d), proof };
		})
	};
}

/**
 * The decoded shares of a partial decryption whose every proof holds against `verificationKey`, or null.
 * Never throws; bounded by the number of options. Public data only: any `Group` (noble by default).
 */
export function checkPartial<P = Point>(
	partial: unknown,
	sums: readonly EncryptedSum[],
	verificationKey: string,
	ctx: TallyContext,
	group: Group<P> = defaultGroup<P>()
): P[] | null {
	if (typeof partial !== 'object' || partial === null) return null;
	const p = partial as PartialDecryption;
	if (!Number.isSafeInteger(p.index) || !Array.isArray(p.shares) || p.shares.length !== sums.length) return null;
	const y = decodePoint(group, verificationKey);
	if (!y) return null;
	const ds: P[] = [];
	for (let option = 0; option < sums.length; option++) {
		const share: unknown = p.shares[option];
		if (typeof share !== 'object' || share === null) return null;
		const { d: dHex, proof } = share as { d: unknown; proof: unknown };
		const a = decodePoint(group, sums[option].c1, true);
		const d = decodePoint(group, dHex, true);
		if (!a || !d) return null;
		if (!checkEqualLogs('partial', partialBind(ctx, p.index, option, sums[option].c1), [group.G, a], [y, d], proof, group)) {
			return null;
		}
		ds.push(d);
	}
	return ds;
}

/** λⱼ = Πₖ k / (k − j) over the other members k of the set: weights that rebuild f(0) from f(j), j ∈ set. */
export function lagrangeAtZero(indices: readonly number[], j: number): bigint {
	let num = 1n;
	let den = 1n;
	for (const k of indices) {
		if (k === j) continue;
		num = mulS(num, BigInt(k));
		den = mulS(den, subS(BigInt(k), BigInt(j)));
	}
	return mulS(num, invS(den));
}

/**
 * The counts from the sums and at least `threshold` checked partials (distinct members; extra ones are ignored —
 * any t give the same answer). `maxCount` bounds the discrete log: the number of ballots. Throws when fewer
 * than t partials are given or a count is out of bounds (which valid inputs never produce).
 */
export function combinePartials<P = Point>(
	sums: readonly EncryptedSum[],
	partials: readonly { index: number; shares: P[] }[],
	threshold: number,
	maxCount: number,
	group: Group<P> = defaultGroup<P>()
): number[] {
	const chosen: { index: number; shares: P[] }[] = [];
	for (const p of partials) if (!chosen.some((c) => c.index === p.index)) chosen.push(p);
	if (chosen.length < threshold) throw new Error('secret-ballot: fewer partial decryptions than the threshold');
	const set = chosen.slice(0, threshold);
	const weights = set.map((p) =>
		lagrangeAtZero(
			set.map((q) => q.index),
			p.index
		)
	);
	return sums.map((s, option) => {
		const mask = group.multiScalar(
			set.map((p) => p.shares[option]),
			weights
		);
		const c2 = decodePoint(group, s.c2, true);
		if (!c2) throw new Error('secret-ballot: invalid point (sum)');
		const count = boundedLog(group.sub(c2, mask), maxCount, group);
		if (count === null) throw new Error('secret-ballot: a count is out of bounds');
		return count;
	});
}
