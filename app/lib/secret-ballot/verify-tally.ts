/**
 * Anyone's check of a closed secret vote, from the public board alone (what `npm run verify:tally` and the public
 * page run): the committee's dealings and proofs give the joint key and every member's verification key; every
 * ballot's proofs are checked; the sums are recomputed; every partial decryption is checked; the counts are
 * recombined and compared with the published result. Never throws on a hostile board; work is bounded by
 * `maxBallots` and the spec.
 */
import { type Ballot, type QueuedBallot, queueBallot, settleBallot } from './ballot';
import { Batch } from './batch';
import { type Dealing, checkDealing, jointPublicKey, verificationKey } from './committee';
import type { BallotReason, TallyReason } from './reasons';
import { type BallotSpec, normaliseSpec } from './spec';
import {
	type EncryptedSum,
	type PartialDecryption,
	checkPartial,
	combinePartials,
	encodeSums,
	sumCiphertexts
} from './tally';
import { type Group, type Point, defaultGroup } from './group';
import type { Ciphertext } from './range-proof';

export interface TallyBoard {
	voteId: string;
	spec: BallotSpec;
	committee: { threshold: number; members: number; dealings: Dealing[] };
	publicKey: string;
	ballots: { voterId: string; ballot: Ballot }[];
	sums: EncryptedSum[];
	partials: PartialDecryption[];
	counts: number[];
}

export type TallyCheck =
	| { ok: true; counts: number[]; trackers: string[] }
	| {
			ok: false;
			reason: TallyReason;
			ballot?: number;
			ballotReason?: BallotReason;
			member?: number;
	  };

export const MAX_BALLOTS = 100_000;

/**
 * Ballots settled in one multi-scalar equation (~20 points each). By operation count Pippenger needs ~12% more
 * additions per point for 2,048 ballots than for 5,040 at once, and memory stays bounded up to `MAX_BALLOTS` (in a
 * phone's browser too) instead of holding every ballot's points and weights at once.
 */
const WHOLE_BOARD_CHUNK = 2048;

const fail = (reason: TallyReason, extra: Partial<Omit<Extract<TallyCheck, { ok: false }>, 'ok' | 'reason'>> = {}) =>
	({ ok: false, reason, ...extra }) as const;

export interface VerifyTallyOptions<P> {
	/** The group implementation the ballots are checked in: noble by default, libsodium's on the server. */
	group?: Group<P>;
	/**
	 * Check the ballots' equations in one random-weighted multi-scalar equation per chunk of ballots, then ballot by
	 * ballot only if it fails (to name the first bad one). Default: when the group's multi-scalar multiplication
	 * shares its work.
	 */
	wholeBoard?: boolean;
	/** Ballots per equation with `wholeBoard` (default `WHOLE_BOARD_CHUNK`). */
	chunk?: number;
}

export function verifyTally<P = Point>(
	board: unknown,
	maxBallots = MAX_BALLOTS,
	options: VerifyTallyOptions<P> = {}
): TallyCheck {
	try {
		const group = options.group ?? defaultGroup<P>();
		const size = options.chunk ?? WHOLE_BOARD_CHUNK;
		const chunk = Number.isSafeInteger(size) && size >= 1 ? size : WHOLE_BOARD_CHUNK;
		return check(board, maxBallots, group, (options.wholeBoard ?? group.sharedMultiScalar) ? chunk : 0);
	} catch {
		return fail('malformed');
	}
}

/** `chunk`: ballots settled per equation, 0 for ballot by ballot. */
function check<P>(board: unknown, maxBallots: number, group: Group<P>, chunk: number): TallyCheck {
	if (typeof board !== 'object' || board === null) return fail('malformed');
	const b = board as TallyBoard;
	const spec = typeof b.spec === 'object' && b.spec !== null ? normaliseSpec(b.spec) : null;
	if (!spec || typeof b.voteId !== 'string' || typeof b.publicKey !== 'string') return fail('malformed');
	if (!Array.isArray(b.ballots) || b.ballots.length > maxBallots) return fail('malformed');
	if (!Array.isArray(b.sums) || b.sums.length !== spec.options) return fail('malformed');
	if (!Array.isArray(b.counts) || b.counts.length !== spec.options) return fail('malformed');
	if (!Array.isArray(b.partials) || typeof b.committee !== 'object' || b.committee === null) return fail('malformed');

	// The committee: every dealing well-formed with its proof of knowledge, and the key is theirs.
	const params = {
		voteId: b.voteId,
		threshold: b.committee.threshold,
		members: b.committee.members
	};
	const dealings = b.committee.dealings;
	if (!Array.isArray(dealings) || dealings.length > params.members) return fail('bad-committee');
	for (const d of dealings) if (!checkDealing(params, d, group)) return fail('bad-committee', { member: d?.index });
	let joint: string;
	try {
		joint = jointPublicKey(params, dealings, group);
	} catch {
		return fail('bad-committee');
	}
	if (joint !== b.publicKey) return fail('wrong-key');

	// Every ballot, one per voter, no ciphertext twice. With `wholeBoard` the ballots' equations are settled together
	// in chunks, always before any later refusal is returned, so a board gets the same answer either way.
	const voters = new Set<string>();
	const trackers = new Set<string>();
	const decoded: Ciphertext<P>[][] = [];
	let pending: QueuedBallot<P>[] = []; // queued, not settled: the last `pending.length` ballots of `decoded`
	const settlePending = (): TallyCheck | null => {
		const from = decoded.length - pending.length;
		const chunk = pending;
		pending = [];
		if (Batch.all(chunk.flatMap((q) => q.batches)).holds()) return null;
		for (let i = 0; i < chunk.length; i++) {
			const result = settleBallot(chunk[i]);
			if (!result.ok) return fail('bad-ballot', { ballot: from + i, ballotReason: result.reason });
		}
		return null;
	};
	let stop: TallyCheck | null = null;
	for (let i = 0; i < b.ballots.length && !stop; i++) {
		const entry = b.ballots[i];
		if (typeof entry !== 'object' || entry === null) {
			stop = fail('malformed', { ballot: i });
			break;
		}
		const ctx = {
			...spec,
			publicKey: b.publicKey,
			voteId: b.voteId,
			voterId: entry.voterId
		};
		const q = queueBallot(group, entry.ballot, ctx);
		const result = q.ok && chunk === 0 ? settleBallot(q) : q;
		if (!result.ok || !q.ok) {
			stop = fail('bad-ballot', { ballot: i, ballotReason: result.ok ? 'malformed' : result.reason });
			break;
		}
		decoded.push(q.cts);
		if (chunk > 0) pending.push(q);
		if (voters.has(entry.voterId)) stop = fail('duplicate-voter', { ballot: i });
		else if (trackers.has(q.tracker)) stop = fail('duplicate-ballot', { ballot: i });
		voters.add(entry.voterId);
		trackers.add(q.tracker);
		if (chunk > 0 && pending.length >= chunk) {
			const bad = settlePending();
			if (bad) return bad;
		}
	}
	const bad = pending.length > 0 ? settlePending() : null;
	if (bad) return bad;
	if (stop) return stop;

	// The sums.
	const sums = encodeSums(group, sumCiphertexts(group, decoded, spec.options));
	if (sums.some((s, i) => s.c1 !== b.sums[i]?.c1 || s.c2 !== b.sums[i]?.c2)) return fail('aggregate-mismatch');

	// The partial decryptions: every one on the board must hold, from distinct members of the committee.
	const ctx = { voteId: b.voteId, publicKey: b.publicKey };
	const checked: { index: number; shares: P[] }[] = [];
	const dealt = new Set(dealings.map((d) => d.index));
	for (const p of b.partials) {
		const index = (p as PartialDecryption)?.index;
		if (!Number.isSafeInteger(index) || index < 1 || index > params.members || checked.some((c) => c.index === index)) {
			return fail('bad-partial', { member: index });
		}
		const shares = dealt.size ? checkPartial(p, sums, verificationKey(params, dealings, index, group), ctx, group) : null;
		if (!shares) return fail('bad-partial', { member: index });
		checked.push({ index, shares });
	}
	if (checked.length < params.threshold) return fail('too-few-partials');

	const counts = combinePartials(sums, checked, params.threshold, b.ballots.length, group);
	if (counts.some((c, i) => c !== b.counts[i])) return fail('result-mismatch');
	return { ok: true, counts, trackers: [...trackers] };
}
