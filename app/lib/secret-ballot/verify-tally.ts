/**
 * Anyone's check of a closed secret vote, from the public board alone (what `npm run verify:tally` and the public
 * page run): the committee's dealings and proofs give the joint key and every member's verification key; every
 * ballot's proofs are checked; the sums are recomputed; every partial decryption is checked; the counts are
 * recombined and compared with the published result. Never throws on a hostile board; work is bounded by
 * `maxBallots` and the spec.
 */
import { type Ballot, ballotCiphertexts, verifyBallot } from './ballot';
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
import type { Point } from './group';

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

const fail = (reason: TallyReason, extra: Partial<Omit<Extract<TallyCheck, { ok: false }>, 'ok' | 'reason'>> = {}) =>
	({ ok: false, reason, ...extra }) as const;

export function verifyTally(board: unknown, maxBallots = MAX_BALLOTS): TallyCheck {
	try {
		return check(board, maxBallots);
	} catch {
		return fail('malformed');
	}
}

function check(board: unknown, maxBallots: number): TallyCheck {
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
	for (const d of dealings) if (!checkDealing(params, d)) return fail('bad-committee', { member: d?.index });
	let joint: string;
	try {
		joint = jointPublicKey(params, dealings);
	} catch {
		return fail('bad-committee');
	}
	if (joint !== b.publicKey) return fail('wrong-key');

	// Every ballot, one per voter, no ciphertext twice.
	const voters = new Set<string>();
	const trackers = new Set<string>();
	const decoded: ReturnType<typeof ballotCiphertexts>[] = [];
	for (let i = 0; i < b.ballots.length; i++) {
		const entry = b.ballots[i];
		if (typeof entry !== 'object' || entry === null) return fail('malformed', { ballot: i });
		const ctx = {
			...spec,
			publicKey: b.publicKey,
			voteId: b.voteId,
			voterId: entry.voterId
		};
		const result = verifyBallot(entry.ballot, ctx);
		if (!result.ok) return fail('bad-ballot', { ballot: i, ballotReason: result.reason });
		if (voters.has(entry.voterId)) return fail('duplicate-voter', { ballot: i });
		if (trackers.has(result.tracker)) return fail('duplicate-ballot', { ballot: i });
		voters.add(entry.voterId);
		trackers.add(result.tracker);
		decoded.push(ballotCiphertexts(entry.ballot));
	}

	// The sums.
	const sums = encodeSums(sumCiphertexts(decoded, spec.options));
	if (sums.some((s, i) => s.c1 !== b.sums[i]?.c1 || s.c2 !== b.sums[i]?.c2)) return fail('aggregate-mismatch');

	// The partial decryptions: every one on the board must hold, from distinct members of the committee.
	const ctx = { voteId: b.voteId, publicKey: b.publicKey };
	const checked: { index: number; shares: Point[] }[] = [];
	const dealt = new Set(dealings.map((d) => d.index));
	for (const p of b.partials) {
		const index = (p as PartialDecryption)?.index;
		if (!Number.isSafeInteger(index) || index < 1 || index > params.members || checked.some((c) => c.index === index)) {
			return fail('bad-partial', { member: index });
		}
		const shares = dealt.size ? checkPartial(p, sums, verificationKey(params, dealings, index), ctx) : null;
		if (!shares) return fail('bad-partial', { member: index });
		checked.push({ index, shares });
	}
	if (checked.length < params.threshold) return fail('too-few-partials');

	const counts = combinePartials(sums, checked, params.threshold, b.ballots.length);
	if (counts.some((c, i) => c !== b.counts[i])) return fail('result-mismatch');
	return { ok: true, counts, trackers: [...trackers] };
}
