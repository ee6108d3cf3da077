import type { Db } from '../../../../db/client.js';
import { verifyChain } from '../domain/hash-chain';
import { ballotsDigest } from '../votes/ballots-digest';

export type ChainReport =
	| { ok: true; events: number; head: string }
	| { ok: false; events: number; firstBadSeq: number; reason: string; voteId?: string };

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
	const votes = await db.selectFrom('votes').select(['id', 'kind', 'status', 'result']).where('sitting_id', '=', sittingId).where('status', '=', 'closed').execute();
	const closedEvents = new Map(
		rows.filter((r) => r.type === 'vote.closed').map((r) => [(r.payload as { voteId: string }).voteId, r] as const)
	);
	for (const vote of votes) {
		const event = closedEvents.get(vote.id);
		if (!event) return { ok: false, events, firstBadSeq: events + 1, reason: 'vote_close_missing', voteId: vote.id };
		const committed = event.payload as { ballotsDigest: string; result: Record<string, unknown> };
		if ((await ballotsDigest(db, vote.id, vote.kind)) !== committed.ballotsDigest) {
			return { ok: false, events, firstBadSeq: Number(event.seq), reason: 'ballots_altered', voteId: vote.id };
		}
		const stored = (vote.result ?? {}) as Record<string, unknown>;
		if (COUNTED.some((k) => JSON.stringify(stored[k]) !== JSON.stringify(committed.result[k]))) {
			return { ok: false, events, firstBadSeq: Number(event.seq), reason: 'result_altered', voteId: vote.id };
		}
	}
	return { ok: true, events, head: verdict.head };
}
