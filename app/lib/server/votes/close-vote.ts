import type { Db } from '../../../../db/client.js';
import type { ConfidenceChoice, ConfidenceSpec, ElectionChoice, ElectionSpec, YesNoChoice } from '../../domain/ballot';
import type { PassRule } from '../../domain/pass-rule';
import { tallyConfidence, tallyElection, tallyYesNo } from '../../domain/tally';
import { assertVoteTransition } from '../../domain/vote-lifecycle';
import { AppError } from '../errors';
import { closeEncryptedCasting } from '../secret-ballot/count';
import { anchorAfterClose } from '../sittings/anchor';
import { appendEvent, type Trx } from '../sittings/events';
import { seatedCount } from '../sittings/state';
import { ballotsDigest } from './ballots-digest';
import { lockVote, presentAtClose } from './closing';

type VoteRow = Awaited<ReturnType<typeof lockVote>>;

/** An open vote's result: the tally and who chose what. */
async function computeResult(trx: Trx, vote: VoteRow) {
	const seated = await seatedCount(trx, vote.council_id);
	const present = Math.min(await presentAtClose(trx, vote, 'open_ballots'), seated);
	const rule = vote.rule as PassRule;
	const ballots = await trx
		.selectFrom('open_ballots as b')
		.innerJoin('users as u', 'u.id', 'b.user_id')
		.select(['b.user_id', 'u.full_name', 'b.choice'])
		.where('b.vote_id', '=', vote.id)
		.execute();
	const choices = ballots.map((b) => b.choice);
	const tally =
		vote.ballot_type === 'election'
			? tallyElection(choices as ElectionChoice[], seated, present, vote.options as ElectionSpec, rule)
			: vote.ballot_type === 'confidence'
				? tallyConfidence(choices as ConfidenceChoice[], seated, present, vote.options as ConfidenceSpec)
				: tallyYesNo(choices as YesNoChoice[], seated, present, rule);
	const named = ballots.map((b) => ({ userId: b.user_id, fullName: b.full_name, choice: b.choice })).sort((a, b) => a.fullName.localeCompare(b.fullName, 'vi'));
	return { voteId: vote.id, question: vote.question, kind: vote.kind, ballotType: vote.ballot_type, ...tally, choices: named };
}

/**
 * Closes a vote atomically: under the sitting lock no ballot can slip in after; the result is computed from
 * the stored ballots once, stored, and never changes.
 */
export async function closeVote(db: Db, voteId: string, closedBy: string | null) {
	const result = await db.transaction().execute(async (trx) => {
		const vote = await lockVote(trx, voteId);
		// A secret vote ends its casting through secretBallot.closeCasting: its result comes with its committee's count.
		if (vote.kind === 'secret') throw new AppError('BAD_REQUEST', 'secretBallot.closeEncrypted');
		if (vote.status !== 'open') throw new AppError('CONFLICT', 'VOTE_CLOSED');
		assertVoteTransition(vote.status, 'closed');
		const result = { ...(await computeResult(trx, vote)), status: 'closed' as const, closedAt: new Date().toISOString() };
		await trx.updateTable('votes').set({ status: 'closed', closed_at: new Date(result.closedAt), result: JSON.stringify(result) }).where('id', '=', voteId).execute();
		await trx.insertInto('audit_log').values({ user_id: closedBy, council_id: vote.council_id, action: 'vote.close', details: JSON.stringify({ voteId }) }).execute();
		const digest = await ballotsDigest(trx, voteId, 'open');
		await appendEvent(trx, vote.sitting_id, 'vote.closed', { voteId, result: publicSummary(result), ballotsDigest: digest });
		return result;
	});
	// The head that includes the close, signed and sent to every screen (sittings/anchor.ts).
	await anchorAfterClose(db, { closed: 'vote', voteId });
	return result;
}

/** A vote opened by mistake is closed as void with a reason; nothing is ever deleted. */
export function voidVote(db: Db, voteId: string, reason: string, by: string) {
	return db.transaction().execute(async (trx) => {
		const vote = await lockVote(trx, voteId);
		if (vote.status !== 'open') throw new AppError('CONFLICT', 'VOTE_CLOSED');
		assertVoteTransition(vote.status, 'void');
		const result = { voteId, status: 'void' as const, reason, closedAt: new Date().toISOString(), voted: vote.ballots_cast };
		await trx.updateTable('votes').set({ status: 'void', void_reason: reason, closed_at: new Date(result.closedAt), result: JSON.stringify(result) }).where('id', '=', voteId).execute();
		await trx.insertInto('audit_log').values({ user_id: by, council_id: vote.council_id, action: 'vote.void', details: JSON.stringify({ voteId, reason }) }).execute();
		await appendEvent(trx, vote.sitting_id, 'vote.voided', { voteId, reason });
		return result;
	});
}

/** What goes on the live stream: the counts and the verdict (the full result, with choices, by vote.result). */
function publicSummary(result: Record<string, unknown>) {
	const { choices: _c, ballots: _b, ...summary } = result;
	return summary;
}

/** Closes every vote whose time limit has passed (run by each instance's timer; the lock makes it once). */
export async function closeDueVotes(db: Db): Promise<number> {
	const due = await db.selectFrom('votes').select(['id', 'kind']).where('status', '=', 'open').where('closes_at', '<=', new Date()).execute();
	let closed = 0;
	for (const { id, kind } of due) {
		try {
			if (kind === 'secret') await closeEncryptedCasting(db, id, null);
			else await closeVote(db, id, null);
			closed++;
		} catch (err) {
			if (!(err instanceof AppError && err.i18nKey === 'VOTE_CLOSED')) throw err;
		}
	}
	return closed;
}
