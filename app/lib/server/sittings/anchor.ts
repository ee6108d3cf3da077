import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { ANCHOR_EVENT, anchorMessage, keyIdOf, type ChainHead, type SignedAnchor } from '../../chain-anchors/anchor';
import { log } from '../log';
import { councilCa } from '../resolutions/pki';
import { appendEvent, lockSitting } from './events';

// Signs a sitting's chain head at a vote's close and at the sitting's close, and appends the signed head as its own
// 'chain.anchor' event, which the stream carries to every screen of the sitting (they keep it: chain-anchors/keep.ts).
// Why its own event, after the close commits: the council's CA may be created on first use (an RSA key generation),
// which must not run under the sitting's lock inside the closing transaction. The head signed is still exactly the
// close's (its seq and hash, read back), so a later event between the two changes nothing of what is signed.

export type Closed = { closed: 'vote'; voteId: string } | { closed: 'sitting'; sittingId: string };

/** The close event's sitting, seq and hash: the vote's 'vote.closed', or the sitting's last 'sitting.status' → closed. */
async function closeEvent(db: Db, what: Closed) {
	const sittingId = what.closed === 'vote' ? (await db.selectFrom('votes').select('sitting_id').where('id', '=', what.voteId).executeTakeFirstOrThrow()).sitting_id : what.sittingId;
	const query = db.selectFrom('sitting_events').select(['seq', 'hash']).where('sitting_id', '=', sittingId);
	const filtered =
		what.closed === 'vote'
			? query.where('type', '=', 'vote.closed').where(sql<string>`payload->>'voteId'`, '=', what.voteId)
			: query.where('type', '=', 'sitting.status').where(sql<string>`payload->>'status'`, '=', 'closed');
	const event = await filtered.orderBy('seq', 'desc').limit(1).executeTakeFirst();
	return event ? { sittingId, seq: Number(event.seq), hash: event.hash } : null;
}

/** Signs the head at the close and appends it as 'chain.anchor'. Returns the anchor, or null when there is no close. */
export async function anchorClose(db: Db, what: Closed): Promise<SignedAnchor | null> {
	const event = await closeEvent(db, what);
	if (!event) return null;
	const { sittingId } = event;
	const { council_id: councilId } = await db.selectFrom('sittings').select('council_id').where('id', '=', sittingId).executeTakeFirstOrThrow();
	const ca = await councilCa(db, councilId);
	const head: ChainHead = {
		sittingId,
		seq: event.seq,
		hash: event.hash,
		signedAt: new Date().toISOString(),
		closed: what.closed,
		voteId: what.closed === 'vote' ? what.voteId : null
	};
	const spki = new Uint8Array(crypto.createPublicKey(ca.privateKey).export({ type: 'spki', format: 'der' }));
	const anchor: SignedAnchor = {
		...head,
		alg: 'RS256',
		keyId: await keyIdOf(spki),
		signature: crypto.sign('sha256', anchorMessage(head), ca.privateKey).toString('base64')
	};
	await db.transaction().execute(async (trx) => {
		await lockSitting(trx, sittingId);
		await appendEvent(trx, sittingId, ANCHOR_EVENT, { ...anchor });
	});
	return anchor;
}

/**
 * The hook after a close commits: the close stands whatever happens here, so a failure is logged, not thrown (the
 * chain is still verifiable; only this head is not kept outside the database).
 */
export async function anchorAfterClose(db: Db, what: Closed): Promise<void> {
	try {
		await anchorClose(db, what);
	} catch (err) {
		log.error('chain anchor failed', { ...what, err });
	}
}
