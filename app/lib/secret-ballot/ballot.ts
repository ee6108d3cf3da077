/**
 * The encrypted ballot: one exponential-ElGamal ciphertext per option, (c1, c2) = (r·G, r·H + m·G) with m ∈ {0,1}
 * under the committee's joint key H, a proof per option that m ∈ {0,1}, and a proof per group of options (one group
 * but for a confidence rating: spec.ts) that the sum of its m's lies in [min, max]. Every challenge binds the vote id, the voter id, the joint key and the spec, so a proof copied to
 * another vote or another voter fails. The tracker (the delegate's receipt) is a hash of the ciphertexts.
 *
 * Runs in the browser (encrypt) and on the server (verify — CPU-bound, a few ms: run it in a worker thread).
 */
import { Batch } from './batch';
import { decodePoint, hexToScalar, pointToHex, scalarToHex } from './codec';
import { type Field, digestHex } from './hash';
import { G, type Group, IDENTITY, type Point, gTimes, mulSecret, nobleGroup, randomScalar } from './group';
import { type Ciphertext, type RangeBranch, proveRange, queueRange } from './range-proof';
import type { BallotCheck, BallotReason } from './reasons';
import { type BallotSpec, MAX_OPTIONS, type Spec, choiceVector, groupSize, isId, normaliseSpec } from './spec';

export interface EncryptedOption {
	c1: string;
	c2: string;
	proof: RangeBranch[];
}

export interface Ballot {
	v: 1;
	voteId: string;
	voterId: string;
	publicKey: string;
	options: EncryptedOption[];
	/** The groups' sum proofs one after the other, each `max − min + 1` branches. */
	sum: RangeBranch[];
}

export interface BallotContext extends BallotSpec {
	publicKey: string;
	voteId: string;
	voterId: string;
}

export interface EncryptInput extends BallotContext {
	/** One option index, or several for an election (`choices`). */
	choice?: number;
	choices?: readonly number[];
}

export interface EncryptedBallot {
	ballot: Ballot;
	/**
	 * The per-option randomness: secret. Keep it only for "check my device"; revealing it opens the ballot, so a
	 * ballot whose randomness was revealed must be discarded and never cast (encrypt again for the real vote).
	 */
	randomness: string[];
	tracker: string;
}

// Decoding a key costs a square root; votes check thousands of ballots under one key. One cache per group.
const keyCaches = new WeakMap<Group<unknown>, Map<string, unknown>>();
function keyPoint<P>(group: Group<P>, hex: string): P | null {
	let cache = keyCaches.get(group) as Map<string, P> | undefined;
	if (!cache) keyCaches.set(group, (cache = new Map()));
	const cached = cache.get(hex);
	if (cached) return cached;
	const p = decodePoint(group, hex);
	if (p) {
		if (cache.size >= 32) cache.delete(cache.keys().next().value as string);
		cache.set(hex, p);
	}
	return p;
}

export function publicKeyPoint(hex: string): Point | null {
	return keyPoint(nobleGroup, hex);
}

// A one-group ballot binds exactly what it did before groups existed, so its proofs are unchanged.
function binding(ctx: BallotContext, spec: Spec): Field[] {
	const bind: Field[] = ['ballot', ctx.voteId, ctx.voterId, ctx.publicKey, spec.options, spec.min, spec.max];
	return spec.groups === 1 ? bind : [...bind, 'groups', spec.groups];
}

const optionBind = (bind: Field[], i: number, c1: string, c2: string): Field[] => [...bind, 'option', i, c1, c2];
/** Group g's sum proof binds that group's ciphertexts (and, when there are several groups, g). */
const sumBind = (bind: Field[], spec: Spec, g: number, options: readonly { c1: string; c2: string }[]): Field[] => [
	...bind,
	'sum',
	...(spec.groups === 1 ? [] : [g]),
	...options.flatMap((o) => [o.c1, o.c2])
];

/** The options' indices of each group, in order. */
function groupsOf(spec: Spec): number[][] {
	const size = groupSize(spec);
	return Array.from({ length: spec.groups }, (_, g) => Array.from({ length: size }, (_, k) => g * size + k));
}

export function ballotTracker(voteId: string, options: readonly { c1: string; c2: string }[]): string {
	return digestHex('tracker', [voteId, options.length, ...options.flatMap((o) => [o.c1, o.c2])]);
}

/** Encrypts the choice with proofs. Throws on a choice the spec does not allow (the page validates first). */
export function encryptBallot(input: EncryptInput): EncryptedBallot {
	const spec = normaliseSpec(input);
	const h = publicKeyPoint(input.publicKey);
	if (!spec || !h || !isId(input.voteId) || !isId(input.voterId)) throw new Error('secret-ballot: invalid context');
	const picked = input.choices ?? (input.choice === undefined ? null : input.choice);
	const vector = picked === null ? null : choiceVector(spec, picked);
	if (!vector) throw new Error('secret-ballot: choice not allowed by the spec');
	return encryptVector(input, spec, h, vector);
}

/**
 * Encrypts any vector of values. `cheat` lets tests build the ballots a dishonest client would send (values outside
 * 0/1 or a sum outside the range, with simulated proofs that cannot verify); production code never sets it.
 */
export function encryptVector(
	ctx: BallotContext,
	spec: Spec,
	h: Point,
	values: number[],
	cheat = false
): EncryptedBallot {
	const bind = binding(ctx, spec);
	const rs = values.map(() => randomScalar());
	const cts: Ciphertext[] = values.map((m, i) => ({
		c1: mulSecret(G, rs[i]),
		c2: mulSecret(h, rs[i]).add(gTimes(m))
	}));
	const options = cts.map((ct, i) => {
		const c1 = pointToHex(ct.c1);
		const c2 = pointToHex(ct.c2);
		return {
			c1,
			c2,
			proof: proveRange(h, ct, rs[i], values[i], 0, 1, optionBind(bind, i, c1, c2), cheat)
		};
	});
	const sum = groupsOf(spec).flatMap((group, g) => {
		const total: Ciphertext = {
			c1: group.reduce((s, i) => s.add(cts[i].c1), IDENTITY),
			c2: group.reduce((s, i) => s.add(cts[i].c2), IDENTITY)
		};
		const rSum = group.reduce((s, i) => s + rs[i], 0n);
		const count = group.reduce((s, i) => s + values[i], 0);
		const bound = sumBind(bind, spec, g, group.map((i) => options[i]));
		return proveRange(h, total, rSum, count, spec.min, spec.max, bound, cheat);
	});
	const ballot: Ballot = {
		v: 1,
		voteId: ctx.voteId,
		voterId: ctx.voterId,
		publicKey: ctx.publicKey,
		options,
		sum
	};
	return {
		ballot,
		randomness: rs.map(scalarToHex),
		tracker: ballotTracker(ctx.voteId, options)
	};
}

type Parsed<P> =
	| {
			ok: true;
			spec: Spec;
			h: P;
			cts: Ciphertext<P>[];
			options: EncryptedOption[];
			sum: unknown;
	  }
	| Fail;
type Fail = Extract<BallotCheck, { ok: false }>;

const fail = (reason: BallotReason, option?: number): Fail =>
	option === undefined ? { ok: false, reason } : { ok: false, reason, option };

/** Everything short of the proofs: shape, ids, lengths (before any decoding), then the points. */
function parse<P>(group: Group<P>, ballot: unknown, ctx: BallotContext): Parsed<P> {
	const spec = normaliseSpec(ctx);
	const h = typeof ctx.publicKey === 'string' ? keyPoint(group, ctx.publicKey) : null;
	if (!spec || !h || !isId(ctx.voteId) || !isId(ctx.voterId)) return fail('bad-context');
	if (typeof ballot !== 'object' || ballot === null || Array.isArray(ballot)) return fail('malformed');
	const b = ballot as Partial<Record<keyof Ballot, unknown>>;
	if (b.v !== 1) return fail('version');
	if (b.voteId !== ctx.voteId) return fail('wrong-vote');
	if (b.voterId !== ctx.voterId) return fail('wrong-voter');
	if (b.publicKey !== ctx.publicKey) return fail('wrong-key');
	if (!Array.isArray(b.options) || b.options.length !== spec.options) return fail('wrong-length');
	if (!Array.isArray(b.sum) || b.sum.length !== spec.groups * (spec.max - spec.min + 1)) return fail('wrong-length');
	for (let i = 0; i < b.options.length; i++) {
		const o: unknown = b.options[i];
		if (typeof o !== 'object' || o === null) return fail('malformed', i);
		const proof = (o as EncryptedOption).proof;
		if (!Array.isArray(proof) || proof.length !== 2) return fail('wrong-length', i);
	}
	const options = b.options as EncryptedOption[];
	const cts: Ciphertext<P>[] = [];
	for (let i = 0; i < options.length; i++) {
		const c1 = decodePoint(group, options[i].c1);
		const c2 = decodePoint(group, options[i].c2);
		if (!c1 || !c2) return fail('bad-point', i);
		cts.push({ c1, c2 });
	}
	return { ok: true, spec, h, cts, options, sum: b.sum };
}

const SHAPE: Record<'shape' | 'point' | 'scalar', BallotReason> = {
	shape: 'malformed',
	point: 'bad-point',
	scalar: 'bad-scalar'
};

/**
 * Verifies a ballot received from anyone. Returns ok with its tracker, or the first reason it is refused. Never
 * throws; the work is bounded by the spec (array lengths are compared with the spec before anything is decoded).
 */
export function verifyBallot(ballot: unknown, ctx: BallotContext): BallotCheck {
	return verifyBallotIn(nobleGroup, ballot, ctx);
}

/** `verifyBallot` over any group implementation (the server passes libsodium's). */
export function verifyBallotIn<P>(group: Group<P>, ballot: unknown, ctx: BallotContext): BallotCheck {
	const q = queueBallot(group, ballot, ctx);
	return q.ok ? settleBallot(q) : q;
}

/** A ballot whose every check but the group equations passed; `batches` holds those (one per option, then one per group's sum). */
export interface QueuedBallot<P> {
	ok: true;
	tracker: string;
	cts: Ciphertext<P>[];
	batches: Batch<P>[];
}

/**
 * Everything `verifyBallot` checks, short of running the group equations: they are queued, so that a board can
 * check all its ballots' equations at once (verify-tally.ts). Never throws.
 */
export function queueBallot<P>(group: Group<P>, ballot: unknown, ctx: BallotContext): QueuedBallot<P> | Fail {
	try {
		return queue(group, ballot, ctx);
	} catch {
		return fail('malformed');
	}
}

function queue<P>(group: Group<P>, ballot: unknown, ctx: BallotContext): QueuedBallot<P> | Fail {
	const p = parse(group, ballot, ctx);
	if (!p.ok) return p;
	const bind = binding(ctx, p.spec);
	const batches = p.cts.map(() => new Batch(group));
	for (let i = 0; i < p.cts.length; i++) {
		const o = p.options[i];
		const r = queueRange(batches[i], p.h, p.cts[i], o.proof, 0, 1, optionBind(bind, i, o.c1, o.c2));
		if (r === 'challenge') return fail('option-proof', i);
		if (r !== 'ok') return fail(SHAPE[r], i);
	}
	const width = p.spec.max - p.spec.min + 1;
	const sums = p.sum as unknown[];
	for (const [g, members] of groupsOf(p.spec).entries()) {
		const total = {
			c1: members.map((i) => p.cts[i].c1),
			c2: members.map((i) => p.cts[i].c2)
		};
		const sumBatch = new Batch(group);
		const proof = sums.slice(g * width, (g + 1) * width);
		const bound = sumBind(bind, p.spec, g, members.map((i) => p.options[i]));
		const r = queueRange(sumBatch, p.h, total, proof, p.spec.min, p.spec.max, bound);
		if (r === 'challenge') return fail('sum-proof');
		if (r !== 'ok') return fail(SHAPE[r]);
		batches.push(sumBatch);
	}
	return { ok: true, tracker: ballotTracker(ctx.voteId, p.options), cts: p.cts, batches };
}

/**
 * Runs a queued ballot's equations: one multi-scalar multiplication; only a failing ballot pays to name its
 * culprit. Never throws.
 */
export function settleBallot<P>(q: QueuedBallot<P>): BallotCheck {
	try {
		if (Batch.all(q.batches).holds()) return { ok: true, tracker: q.tracker };
		const bad = q.batches.slice(0, q.cts.length).findIndex((b) => !b.holds());
		return bad >= 0 ? fail('option-proof', bad) : fail('sum-proof');
	} catch {
		return fail('malformed');
	}
}

/**
 * "Check my device" (Benaloh challenge): given the ballot, the randomness the page revealed and the choice the
 * delegate made, checks that every ciphertext encrypts exactly that choice. The checked ballot is spoiled: the
 * caller must discard it and never cast it (its randomness is now known), then encrypt afresh for the real vote.
 */
export function auditBallot(
	ballot: unknown,
	randomness: unknown,
	choice: number | readonly number[]
): { ok: true } | { ok: false; reason: 'malformed' | 'mismatch'; option?: number } {
	try {
		if (typeof ballot !== 'object' || ballot === null) return { ok: false, reason: 'malformed' };
		const b = ballot as Ballot;
		const h = typeof b.publicKey === 'string' ? publicKeyPoint(b.publicKey) : null;
		if (!h || !Array.isArray(b.options) || !Array.isArray(randomness)) return { ok: false, reason: 'malformed' };
		if (b.options.length !== randomness.length || b.options.length > MAX_OPTIONS)
			return { ok: false, reason: 'malformed' };
		const picked = typeof choice === 'number' ? [choice] : choice;
		for (let i = 0; i < b.options.length; i++) {
			const r = hexToScalar(randomness[i]);
			const o = b.options[i];
			if (r === null || typeof o !== 'object' || o === null) return { ok: false, reason: 'malformed', option: i };
			const m = picked.includes(i) ? 1 : 0;
			const c1 = mulSecret(G, r);
			const c2 = mulSecret(h, r).add(gTimes(m));
			if (o.c1 !== pointToHex(c1) || o.c2 !== pointToHex(c2)) return { ok: false, reason: 'mismatch', option: i };
		}
		return { ok: true };
	} catch {
		return { ok: false, reason: 'malformed' };
	}
}
