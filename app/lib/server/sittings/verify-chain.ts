import type { Db } from '../../../../db/client.js';
import { verifyChain } from '../domain/hash-chain';

/** Recomputes a sitting's event chain from the table and names the first altered event, if any. */
export async function verifySittingChain(db: Db, sittingId: string) {
	const rows = await db
		.selectFrom('sitting_events')
		.select(['seq', 'type', 'payload', 'created_at', 'prev_hash', 'hash'])
		.where('sitting_id', '=', sittingId)
		.orderBy('seq')
		.execute();
	const sitting = await db.selectFrom('sittings').select(['last_seq', 'head_hash']).where('id', '=', sittingId).executeTakeFirst();
	const verdict = verifyChain(rows.map((r) => ({ seq: Number(r.seq), type: r.type, payload: r.payload, createdAt: r.created_at, prevHash: r.prev_hash, hash: r.hash })));
	if (verdict.ok && sitting && (verdict.head !== sitting.head_hash || rows.length !== Number(sitting.last_seq))) {
		// The recorded head disagrees with the events: the tail was removed or rewritten.
		return { ok: false as const, events: rows.length, firstBadSeq: Math.min(rows.length, Number(sitting.last_seq)) + 1, reason: 'head_mismatch' as const };
	}
	return verdict.ok
		? { ok: true as const, events: rows.length, head: verdict.head }
		: { ok: false as const, events: rows.length, firstBadSeq: verdict.firstBadSeq, reason: verdict.reason };
}
