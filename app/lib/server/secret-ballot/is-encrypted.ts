import type { Db } from '../../../../db/client.js';
import type { Trx } from '../sittings/events';

/**
 * Whether a vote is an encrypted secret vote (it has a setup): such a vote takes, closes and commits to its ballots
 * its own way, and the plain vote paths that meet one ask here. Its own module, free of the ballot crypto.
 */
export async function isEncryptedVote(db: Db | Trx, voteId: string): Promise<boolean> {
	return !!(await db.selectFrom('secret_vote_setups').select('id').where('vote_id', '=', voteId).executeTakeFirst());
}
