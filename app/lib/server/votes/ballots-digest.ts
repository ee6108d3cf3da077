import { createHash } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import { canonicalJson } from '../domain/canonical-json';
import { encryptedBallotsDigest } from '../secret-ballot/digest';
import type { Trx } from '../sittings/events';

/**
 * A digest of every stored ballot of a vote, in a canonical order. It is written into the hash-chained
 * 'vote.closed' event, so any later edit of a ballot row is detectable. Only at the close: a per-ballot
 * commitment on the live stream would let anyone who watched the hall match times to the published ballots.
 * An open vote commits to voter → choice; a secret vote to voter → tracker (its encrypted ballot); a secret vote
 * from before the encrypted ballot, to its archived ballots (receipt → choice, as its close committed them).
 */
export async function ballotsDigest(db: Db | Trx, voteId: string, kind: 'open' | 'secret'): Promise<string> {
	if (kind === 'secret') {
		const archived = await db.selectFrom('archived_secret_ballots').select('ballots').where('vote_id', '=', voteId).executeTakeFirst();
		if (archived) return plainDigest(voteId, archived.ballots as { receipt: string; choice: unknown }[]);
		const encrypted = await db.selectFrom('encrypted_ballots').select(['user_id', 'tracker']).where('vote_id', '=', voteId).execute();
		return encryptedBallotsDigest(voteId, encrypted.map((b) => ({ userId: b.user_id, tracker: b.tracker })));
	}
	const rows = await db.selectFrom('open_ballots').select(['user_id', 'choice']).where('vote_id', '=', voteId).execute();
	return plainDigest(voteId, rows.map((r) => ({ userId: r.user_id, choice: r.choice })).sort((a, b) => (a.userId < b.userId ? -1 : 1)));
}

function plainDigest(voteId: string, ballots: unknown[]): string {
	return createHash('sha256').update(canonicalJson({ voteId, ballots })).digest('hex');
}
