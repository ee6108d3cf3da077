import type { Db } from '../../../../db/client.js';
import { AppError } from '../errors';

export async function voteResult(db: Db, voteId: string) {
	const vote = await db.selectFrom('votes').select(['status', 'result', 'ballots_cast']).where('id', '=', voteId).executeTakeFirst();
	if (!vote) throw new AppError('NOT_FOUND', 'vote.notFound');
	if (vote.status === 'open') throw new AppError('CONFLICT', 'vote.stillOpen');
	return vote.result as Record<string, unknown>;
}

/** A vote as a screen shows it; while open only how many have voted, never what. */
export async function voteView(db: Db, voteId: string, viewerId: string) {
	const v = await db.selectFrom('votes').selectAll().where('id', '=', voteId).executeTakeFirst();
	if (!v) throw new AppError('NOT_FOUND', 'vote.notFound');
	// An encrypted secret vote (issue 17) keeps voter → ciphertext in encrypted_ballots, and its page needs the key.
	const setup = await db.selectFrom('secret_vote_setups').select(['public_key', 'threshold', 'members']).where('vote_id', '=', voteId).executeTakeFirst();
	const table = v.kind === 'open' ? 'open_ballots' : 'encrypted_ballots';
	const mine = await db.selectFrom(table).select('vote_id').where('vote_id', '=', voteId).where('user_id', '=', viewerId).executeTakeFirst();
	return {
		voteId: v.id,
		sittingId: v.sitting_id,
		itemId: v.item_id,
		question: v.question,
		kind: v.kind,
		ballotType: v.ballot_type,
		options: v.options,
		rule: v.rule,
		allowChange: v.allow_change,
		status: v.status,
		voted: v.ballots_cast,
		openedAt: v.opened_at.toISOString(),
		closesAt: v.closes_at?.toISOString() ?? null,
		closedAt: v.closed_at?.toISOString() ?? null,
		iHaveVoted: !!mine,
		encrypted: setup?.public_key ? { publicKey: setup.public_key, threshold: setup.threshold, members: setup.members } : null,
		result: v.status === 'open' ? null : v.result
	};
}
