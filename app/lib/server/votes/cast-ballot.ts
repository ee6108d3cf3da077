import { randomInt } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import type { BallotKind } from '../../domain/ballot';
import { validateChoice } from '../../domain/ballot';
import { assertCanCast } from '../../domain/vote-lifecycle';
import { AppError } from '../api/errors';
import { newReceiptCode } from '../domain/receipt';
import { appendEvent, lockSitting, type Trx } from '../sittings/events';
import { isCheckedIn, isDelegateOf, presentCount } from '../sittings/state';
import { idempotencyHash, receiptFromKey } from './ballot-secret';

export interface CastInput {
	voteId: string;
	userId: string;
	choice: unknown;
	idempotencyKey?: string;
}

export interface CastResult {
	accepted: true;
	receipt?: string;
}

async function voteForCast(trx: Trx, voteId: string) {
	const ref = await trx.selectFrom('votes').select('sitting_id').where('id', '=', voteId).executeTakeFirst();
	if (!ref) throw new AppError('NOT_FOUND', 'vote.notFound');
	// The sitting's lock first (as every writer of a sitting does), then the vote as it is now.
	await lockSitting(trx, ref.sitting_id);
	return trx.selectFrom('votes').selectAll().where('id', '=', voteId).executeTakeFirstOrThrow();
}

/**
 * Counts a delegate's ballot exactly once. The database enforces one ballot per delegate and vote (primary
 * keys), the sitting lock orders every cast against the close, and a retry with the same idempotency key
 * gets the first answer back.
 */
export function castBallot(db: Db, input: CastInput): Promise<CastResult> {
	return db.transaction().execute(async (trx) => {
		const vote = await voteForCast(trx, input.voteId);
		const isDelegate = await isDelegateOf(trx, vote.council_id, input.userId);
		const expired = vote.status === 'open' && vote.closes_at !== null && vote.closes_at.getTime() <= Date.now();
		const status = expired ? 'closed' : vote.status;

		// A retry of a ballot already counted: the first answer again, even after the close.
		if (isDelegate && input.idempotencyKey) {
			const retried = await previousAnswer(trx, vote, input.userId, input.idempotencyKey);
			if (retried) return retried;
		}
		const alreadyVoted = await hasVoted(trx, vote.id, vote.kind, input.userId);
		assertCanCast({
			voteStatus: status,
			isDelegateOfCouncil: isDelegate,
			checkedIn: await isCheckedIn(trx, vote.sitting_id, input.userId),
			alreadyVoted,
			allowChange: vote.allow_change
		});
		const choice = validateChoice(vote.ballot_type as BallotKind, vote.options as never, input.choice);

		let receipt: string | undefined;
		if (vote.kind === 'open') {
			await trx
				.insertInto('open_ballots')
				.values({ vote_id: vote.id, user_id: input.userId, choice: JSON.stringify(choice), idempotency_key: input.idempotencyKey ?? null, cast_at: new Date() })
				.onConflict((oc) => oc.columns(['vote_id', 'user_id']).doUpdateSet({ choice: JSON.stringify(choice), cast_at: new Date() }))
				.execute();
		} else {
			receipt = input.idempotencyKey ? receiptFromKey(vote.id, input.idempotencyKey) : newReceiptCode();
			await trx
				.insertInto('secret_participation')
				.values({ vote_id: vote.id, user_id: input.userId, idempotency_hash: input.idempotencyKey ? idempotencyHash(vote.id, input.userId, input.idempotencyKey) : null })
				.execute();
			await dropIntoBallotBox(trx, vote.id, { receipt, choice });
		}
		const voted = alreadyVoted ? vote.ballots_cast : vote.ballots_cast + 1;
		if (!alreadyVoted) await trx.updateTable('votes').set({ ballots_cast: voted }).where('id', '=', vote.id).execute();
		const present = await presentCount(trx, vote.sitting_id, vote.council_id);
		// Counted, not revealed: the event carries the count only, never who or what.
		await appendEvent(trx, vote.sitting_id, 'vote.ballot', { voteId: vote.id, voted, present });
		return receipt ? { accepted: true as const, receipt } : { accepted: true as const };
	});
}

async function hasVoted(trx: Trx, voteId: string, kind: string, userId: string): Promise<boolean> {
	const table = kind === 'open' ? 'open_ballots' : 'secret_participation';
	return !!(await trx.selectFrom(table).select('vote_id').where('vote_id', '=', voteId).where('user_id', '=', userId).executeTakeFirst());
}

async function previousAnswer(trx: Trx, vote: { id: string; kind: string }, userId: string, key: string): Promise<CastResult | null> {
	if (vote.kind === 'open') {
		const row = await trx.selectFrom('open_ballots').select('idempotency_key').where('vote_id', '=', vote.id).where('user_id', '=', userId).executeTakeFirst();
		return row && row.idempotency_key === key ? { accepted: true } : null;
	}
	const row = await trx.selectFrom('secret_participation').select('idempotency_hash').where('vote_id', '=', vote.id).where('user_id', '=', userId).executeTakeFirst();
	return row && row.idempotency_hash === idempotencyHash(vote.id, userId, key) ? { accepted: true, receipt: receiptFromKey(vote.id, key) } : null;
}

/**
 * The box is one unordered array: the new ballot goes in at a random place, so neither storage order nor
 * any id or time ties it to the participation row written in the same transaction.
 */
async function dropIntoBallotBox(trx: Trx, voteId: string, ballot: { receipt: string; choice: unknown }) {
	const box = await trx.selectFrom('secret_ballot_boxes').select('ballots').where('vote_id', '=', voteId).forUpdate().executeTakeFirstOrThrow();
	const ballots = box.ballots as { receipt: string; choice: unknown }[];
	ballots.splice(randomInt(ballots.length + 1), 0, ballot);
	await trx.updateTable('secret_ballot_boxes').set({ ballots: JSON.stringify(ballots) }).where('vote_id', '=', voteId).execute();
}
