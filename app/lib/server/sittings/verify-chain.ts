import type { Db } from '../../../../db/client.js';
import { ANCHOR_EVENT, asSignedAnchor, toBase64, verifyAnchor, type SignedAnchor } from '../../chain-anchors/anchor';
import { checkAnchors, type AnchorCheck, type ChainAt } from '../../chain-anchors/witness';
import { verifyChain } from '../domain/hash-chain';
import { ballotsDigest } from '../votes/ballots-digest';
import { councilAnchorKey } from './anchor-key';

export type ChainReport =
	| { ok: true; events: number; head: string }
	| { ok: false; events: number; firstBadSeq: number; reason: string; voteId?: string };
// reasons: hash_mismatch, prev_mismatch, gap (hash-chain.ts), head_mismatch, anchor_mismatch, vote_close_missing,
// ballots_altered, result_altered

const COUNTED = ['yes', 'no', 'abstain', 'passed', 'seated', 'present', 'cast'] as const;

/**
 * Recomputes a sitting's event chain from the table and names the first altered event. Ballots and stored
 * results are checked against the digest and summary that each vote's 'vote.closed' event committed to.
 */
export async function verifySittingChain(db: Db, sittingId: string): Promise<ChainReport> {
	const rows = await db
		.selectFrom('sitting_events')
		.select(['seq', 'type', 'payload', 'created_at', 'prev_hash', 'hash'])
		.where('sitting_id', '=', sittingId)
		.orderBy('seq')
		.execute();
	const events = rows.length;
	const sitting = await db.selectFrom('sittings').select(['last_seq', 'head_hash']).where('id', '=', sittingId).executeTakeFirst();
	const verdict = verifyChain(rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: r.payload, createdAt: r.created_at, prevHash: r.prev_hash, hash: r.hash })));
	if (!verdict.ok) return { ok: false, events, firstBadSeq: verdict.firstBadSeq, reason: verdict.reason };
	if (sitting && (verdict.head !== sitting.head_hash || events !== Number(sitting.last_seq))) {
		// The recorded head disagrees with the events: the tail was removed or rewritten.
		return { ok: false, events, firstBadSeq: Math.min(events, Number(sitting.last_seq)) + 1, reason: 'head_mismatch' };
	}
	// The signed heads still in the chain must name the events they signed: a rewrite that re-linked the chain but
	// left them (their signature cannot be redone without the council's key) is caught here; one that also removed
	// them is caught only by a head kept outside the database (checkWitness).
	const anchors = rows.filter((r) => r.type === ANCHOR_EVENT);
	if (anchors.length) {
		const spki = await councilAnchorKey(db, (await db.selectFrom('sittings').select('council_id').where('id', '=', sittingId).executeTakeFirstOrThrow()).council_id);
		for (const row of anchors) {
			const anchor = asSignedAnchor(row.payload);
			const signedEvent = anchor ? rows[anchor.seq - 1] : undefined;
			if (!anchor || !spki || anchor.sittingId !== sittingId || signedEvent?.hash !== anchor.hash || !(await verifyAnchor(anchor, spki))) {
				return { ok: false, events, firstBadSeq: Number(row.seq), reason: 'anchor_mismatch' };
			}
		}
	}
	const votes = await db.selectFrom('votes').select(['id', 'kind', 'status', 'result']).where('sitting_id', '=', sittingId).where('status', '=', 'closed').execute();
	const closingEvents = (type: string) => new Map(rows.filter((r) => r.type === type).map((r) => [(r.payload as { voteId: string }).voteId, r] as const));
	const closedEvents = closingEvents('vote.closed');
	// An encrypted secret vote whose casting has closed but which its committee has not yet counted committed its
	// ballots in 'vote.counting'; it has no result to compare yet.
	const countingEvents = closingEvents('vote.counting');
	for (const vote of votes) {
		const stored = (vote.result ?? {}) as Record<string, unknown>;
		const counting = stored.status === 'counting';
		const event = (counting ? countingEvents : closedEvents).get(vote.id);
		if (!event) return { ok: false, events, firstBadSeq: events + 1, reason: 'vote_close_missing', voteId: vote.id };
		const committed = event.payload as { ballotsDigest: string; result: Record<string, unknown> };
		if ((await ballotsDigest(db, vote.id, vote.kind)) !== committed.ballotsDigest) {
			return { ok: false, events, firstBadSeq: Number(event.seq), reason: 'ballots_altered', voteId: vote.id };
		}
		if (counting) continue;
		if (COUNTED.some((k) => JSON.stringify(stored[k]) !== JSON.stringify(committed.result[k]))) {
			return { ok: false, events, firstBadSeq: Number(event.seq), reason: 'result_altered', voteId: vote.id };
		}
	}
	return { ok: true, events, head: verdict.head };
}

/** The chain now, at the given events: its length, their hashes, and the council's key that signs its heads. */
export async function chainHeadsAt(db: Db, sittingId: string, seqs: number[]): Promise<ChainAt & { spki: Uint8Array<ArrayBuffer> | null }> {
	const sitting = await db.selectFrom('sittings').select('council_id').where('id', '=', sittingId).executeTakeFirst();
	if (!sitting) return { length: 0, hashes: new Map(), spki: null };
	const rows = seqs.length
		? await db.selectFrom('sitting_events').select(['seq', 'hash']).where('sitting_id', '=', sittingId).where('seq', 'in', seqs).execute()
		: [];
	const last = await db.selectFrom('sitting_events').select((eb) => eb.fn.max('seq').as('n')).where('sitting_id', '=', sittingId).executeTakeFirst();
	return { length: Number(last?.n ?? 0), hashes: new Map(rows.map((r) => [Number(r.seq), r.hash])), spki: await councilAnchorKey(db, sitting.council_id) };
}

/** What `sitting.chainHeads` answers: the check page compares it with the heads its device kept (witness.ts). */
export async function chainHeadsView(db: Db, sittingId: string, seqs: number[]) {
	const [at, report] = await Promise.all([chainHeadsAt(db, sittingId, seqs), verifySittingChain(db, sittingId)]);
	return { report, length: at.length, hashes: [...at.hashes].map(([seq, hash]) => ({ seq, hash })), publicKey: at.spki ? toBase64(at.spki) : null };
}

/** Kept signed heads (a witness file's) against the chain in the database: one verdict per head (witness.ts). */
export async function checkWitness(db: Db, sittingId: string, anchors: SignedAnchor[]): Promise<AnchorCheck[]> {
	const at = await chainHeadsAt(db, sittingId, anchors.map((a) => a.seq));
	return checkAnchors(sittingId, anchors, at, at.spki);
}
