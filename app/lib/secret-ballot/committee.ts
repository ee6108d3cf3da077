/**
 * The counting committee's key (the Ban kiểm phiếu): a threshold key, any t of n members can decrypt SUMS, fewer
 * learn nothing. Joint-Feldman distributed key generation, no dealer ever holds the whole key:
 *  1. each member i picks a random polynomial fᵢ of degree t−1 and publishes a *dealing*: Feldman commitments
 *     Aᵢₖ = aᵢₖ·G to its coefficients and a Schnorr proof of knowledge of aᵢ₀ (so nobody can choose its part of
 *     the key as a function of the others' — the rogue-key attack), and sends member j the share fᵢ(j);
 *  2. member j checks each received share against the sender's commitments (`verifyShare`) — a failing share is
 *     a complaint for the server to handle (exclude that dealer and start again);
 *  3. member j's secret share is xⱼ = Σᵢ fᵢ(j); the joint key is H = Σᵢ Aᵢ₀; member j's verification key
 *     Yⱼ = xⱼ·G is computable by anyone from the commitments, which is what partial decryptions are checked with.
 *
 * The shares fᵢ(j) are secrets: the transport must carry them end-to-end encrypted to member j (the server
 * relaying them in clear could rebuild the key). Gennaro et al. note that Joint-Feldman lets a dishonest dealer
 * bias the key's distribution slightly; that does not help anyone decrypt ElGamal ciphertexts.
 */
import { decodePoint, mustPoint, mustScalar, pointToHex, scalarToHex } from './codec';
import { checkEqualLogs, type LogProof, proveEqualLogs } from './equal-logs';
import { G, type Group, type Point, addS, mod, mulS, mulSecret, defaultGroup, nobleGroup, randomScalar } from './group';
import { MAX_ID_LENGTH } from './spec';

export interface CommitteeParams {
	voteId: string;
	/** t: members needed to count (default 2). */
	threshold: number;
	/** n: members (default 3). */
	members: number;
}

export const MAX_MEMBERS = 15;

export interface Dealing {
	/** 1-based member index. */
	index: number;
	/** Aᵢ₀ … Aᵢ,t−1 as canonical hex. */
	commitments: string[];
	proof: LogProof;
}

export interface DealtShare {
	to: number;
	share: string;
}

export interface MemberSecret {
	kind: 'nts-secret-ballot-member';
	v: 1;
	voteId: string;
	index: number;
	threshold: number;
	members: number;
	/** The member's secret share xⱼ (hex). Whoever holds t of these can decrypt sums. */
	secretShare: string;
	verificationKey: string;
	publicKey: string;
}

export function committeeParams(voteId: string, threshold = 2, members = 3): CommitteeParams {
	const p = { voteId, threshold, members };
	if (!validParams(p)) throw new Error('secret-ballot: invalid committee parameters');
	return p;
}

function validParams(p: CommitteeParams): boolean {
	const int = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n);
	return (
		typeof p.voteId === 'string' &&
		p.voteId.length > 0 &&
		p.voteId.length <= MAX_ID_LENGTH &&
		int(p.threshold) &&
		int(p.members) &&
		p.threshold >= 1 &&
		p.threshold <= p.members &&
		p.members <= MAX_MEMBERS
	);
}

const pokBind = (p: CommitteeParams, index: number) => ['dealing', p.voteId, p.threshold, p.members, index];

/** Σₖ cₖ·xᵏ mod ℓ (Horner). */
function evaluate(coefficients: bigint[], x: number): bigint {
	let acc = 0n;
	for (let k = coefficients.length - 1; k >= 0; k--) acc = addS(mulS(acc, BigInt(x)), coefficients[k]);
	return acc;
}

/** Member `index`'s dealing (public) and the shares to send, one per member including itself. */
export function createDealing(p: CommitteeParams, index: number): { dealing: Dealing; shares: DealtShare[] } {
	if (!validParams(p) || !Number.isSafeInteger(index) || index < 1 || index > p.members) {
		throw new Error('secret-ballot: invalid member index');
	}
	const coefficients = Array.from({ length: p.threshold }, () => randomScalar());
	const commitments = coefficients.map((a) => pointToHex(mulSecret(G, a)));
	const proof = proveEqualLogs('pok', pokBind(p, index), [G], [mustPoint(commitments[0], 'a0')], coefficients[0]);
	const shares = Array.from({ length: p.members }, (_, j) => ({
		to: j + 1,
		share: scalarToHex(evaluate(coefficients, j + 1))
	}));
	return { dealing: { index, commitments, proof }, shares };
}

// The checks below read public data only, so they run in any `Group` (noble by default, libsodium's on the server).
/** The decoded commitments of a well-formed dealing whose proof of knowledge holds, or null. Never throws. */
export function checkDealing<P = Point>(p: CommitteeParams, dealing: unknown, group: Group<P> = defaultGroup<P>()): P[] | null {
	if (!validParams(p) || typeof dealing !== 'object' || dealing === null) return null;
	const d = dealing as Dealing;
	if (!Number.isSafeInteger(d.index) || d.index < 1 || d.index > p.members) return null;
	if (!Array.isArray(d.commitments) || d.commitments.length !== p.threshold) return null;
	const points: P[] = [];
	for (const c of d.commitments) {
		const pt = decodePoint(group, c);
		if (!pt) return null;
		points.push(pt);
	}
	return checkEqualLogs('pok', pokBind(p, d.index), [group.G], [points[0]], d.proof, group) ? points : null;
}

/** Σₖ (jᵏ)·Aₖ: what fᵢ(j)·G must equal. */
function commitmentAt<P>(group: Group<P>, commitments: P[], j: number): P {
	const powers = commitments.map((_, k) => (k === 0 ? 1n : BigInt(j) ** BigInt(k)));
	return group.multiScalar(commitments, powers);
}

/** Whether `share` is the value at `to` of the polynomial committed in `dealing`. */
export function verifyShare(p: CommitteeParams, dealing: Dealing, to: number, share: string): boolean {
	const commitments = checkDealing(p, dealing);
	let s: bigint;
	try {
		s = mustScalar(share, 'share');
	} catch {
		return false;
	}
	return !!commitments && mulSecret(G, s).equals(commitmentAt(nobleGroup, commitments, to));
}

function qualified<P>(p: CommitteeParams, dealings: readonly Dealing[], group: Group<P>): P[][] {
	const seen = new Set<number>();
	if (dealings.length < p.threshold) throw new Error('secret-ballot: fewer dealings than the threshold');
	return dealings.map((d) => {
		const c = checkDealing(p, d, group);
		if (!c || seen.has(d.index)) throw new Error(`secret-ballot: invalid dealing from member ${d.index}`);
		seen.add(d.index);
		return c;
	});
}

/** H = Σᵢ Aᵢ₀ over the qualified dealings. */
export function jointPublicKey<P = Point>(p: CommitteeParams, dealings: readonly Dealing[], group: Group<P> = defaultGroup<P>()): string {
	return group.encode(qualified(p, dealings, group).reduce((s, c) => group.add(s, c[0]), group.IDENTITY));
}

/** Member j's verification key Yⱼ = Σᵢ Σₖ jᵏ·Aᵢₖ, from public data only. */
export function verificationKey<P = Point>(p: CommitteeParams, dealings: readonly Dealing[], j: number, group: Group<P> = defaultGroup<P>()): string {
	return group.encode(qualified(p, dealings, group).reduce((s, c) => group.add(s, commitmentAt(group, c, j)), group.IDENTITY));
}

/**
 * Member `index` combines the shares it received (one from each qualified dealer, its own included) into its
 * secret share. Throws if a share does not match its dealer's commitments.
 */
export function combineShares(
	p: CommitteeParams,
	index: number,
	dealings: readonly Dealing[],
	received: readonly { from: number; share: string }[]
): MemberSecret {
	qualified(p, dealings, nobleGroup);
	let x = 0n;
	for (const d of dealings) {
		const got = received.find((r) => r.from === d.index);
		if (!got || !verifyShare(p, d, index, got.share)) {
			throw new Error(`secret-ballot: missing or invalid share from member ${d.index}`);
		}
		x = addS(x, mustScalar(got.share, 'share'));
	}
	const verification = verificationKey(p, dealings, index);
	if (pointToHex(mulSecret(G, x)) !== verification) throw new Error('secret-ballot: share does not match');
	return {
		kind: 'nts-secret-ballot-member',
		v: 1,
		voteId: p.voteId,
		index,
		threshold: p.threshold,
		members: p.members,
		secretShare: scalarToHex(x),
		verificationKey: verification,
		publicKey: jointPublicKey(p, dealings)
	};
}

/** The member's secret as a JSON file's text (the member keeps it; it never goes to the server). */
export function exportMemberSecret(secret: MemberSecret): string {
	return JSON.stringify(secret, null, 2);
}

/** Reads a saved member secret back, checking every field and that the share matches its verification key. */
export function importMemberSecret(text: string): MemberSecret {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		throw new Error('secret-ballot: the file is not JSON');
	}
	const s = raw as MemberSecret;
	if (typeof raw !== 'object' || raw === null || s.kind !== 'nts-secret-ballot-member' || s.v !== 1) {
		throw new Error('secret-ballot: not a member secret');
	}
	const p = { voteId: s.voteId, threshold: s.threshold, members: s.members };
	if (!validParams(p) || !Number.isSafeInteger(s.index) || s.index < 1 || s.index > s.members) {
		throw new Error('secret-ballot: invalid member secret');
	}
	const x = mustScalar(s.secretShare, 'secretShare');
	mustPoint(s.publicKey, 'publicKey');
	if (mod(x) === 0n || !mulSecret(G, x).equals(mustPoint(s.verificationKey, 'verificationKey'))) {
		throw new Error('secret-ballot: the share does not match its verification key');
	}
	return {
		kind: s.kind,
		v: 1,
		voteId: s.voteId,
		index: s.index,
		threshold: s.threshold,
		members: s.members,
		secretShare: s.secretShare,
		verificationKey: s.verificationKey,
		publicKey: s.publicKey
	};
}
