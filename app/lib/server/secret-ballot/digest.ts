import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

/**
 * The digest of an encrypted vote's ballots at the close: voter → tracker (the tracker is a hash of the ballot's
 * ciphertexts), by voter id. Written into the hash-chained `vote.counting` and `vote.closed` events, so a ballot
 * swapped in the database after the close — even for another valid one — no longer matches the chain, which
 * `verify:tally` checks (votes/ballots-digest.ts does the same for the plaintext paths).
 */
export function encryptedBallotsDigest(voteId: string, ballots: readonly { userId: string; tracker: string }[]): string {
	const sorted = ballots.map((b) => ({ userId: b.userId, tracker: b.tracker })).sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
	return createHash('sha256')
		.update(canonicalJson({ voteId, ballots: sorted }))
		.digest('hex');
}
