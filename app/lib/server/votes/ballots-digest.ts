import { createHash } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import { canonicalJson } from '../domain/canonical-json';
import { encryptedBallotsDigest } from '../secret-ballot/digest';
import { isEncryptedVote } from '../secret-ballot/is-encrypted';
import type { Trx } from '../sittings/events';

/**
 * A digest of every stored ballot of a vote, in a canonical order. It is written into the hash-chained
 * 'vote.closed' event, so any later edit of a ballot row (or of the secret ballot box) is detectable.
 * Only at the close: a per-ballot commitment on the live stream would let anyone who watched the hall
 * match times to the published secret ballots.
 */
export async function ballotsDigest(db: Db | Trx, voteId: string, kind: 'open' | 'secret'): Promise<string> {
	let ballots: unknown[];
	if (kind === 'open') {
		const rows = await db.selectFrom('open_ballots').select(['user_id', 'choice']).where('vote_id', '=', voteId).execute();
		ballots = rows.map((r) => ({ userId: r.user_id, choice: r.choice })).sort((a, b) => (a.userId < b.userId ? -1 : 1));
	} else {
		// An encrypted secret vote (issue 17) commits to voter → tracker; the plaintext box path goes at the switch-over.
		const encrypted = await db.selectFrom('encrypted_ballots').select(['user_id', 'tracker']).where('vote_id', '=', voteId).execute();
		if (encrypted.length || (await isEncryptedVote(db, voteId))) {
			return encryptedBallotsDigest(voteId, encrypted.map((b) => ({ userId: b.user_id, tracker: b.tracker })));
		}
		const box = await db.selectFrom('secret_ballot_boxes').select('ballots').where('vote_id', '=', voteId).executeTakeFirst();
		ballots = ((box?.ballots ?? []) as { receipt: string; choice: unknown }[])
			.map((b) => ({ receipt: b.receipt, choice: b.choice }))
			.sort((a, b) => (a.receipt < b.receipt ? -1 : 1));
	}
	return createHash('sha256').update(canonicalJson({ voteId, ballots })).digest('hex');
}
