import { randomInt } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { VotesTable } from '../../../../db/schema.js';
import type { Selectable } from 'kysely';
import type { BallotKind } from '../../domain/ballot';
import { validateChoice } from '../../domain/ballot';
import { assertCanCast } from '../../domain/vote-lifecycle';
import { AppError } from '../api/errors';
import { newReceiptCode } from '../domain/receipt';
import { appendEvent, type Trx } from '../sittings/events';
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

type VoteForCast = Selectable<VotesTable> & {
	is_delegate: boolean;
	checked_in: boolean;
	open_key: string | null | undefined;
	open_voted: boolean;
	secret_hash: string | null | undefined;
	secret_voted: boolean;
	present: number;
};

/**
 * Takes the sitting's lock (as every writer of a sitting does, so casts are ordered against the close), then
 * reads the vote and everything the rules need about this delegate in one query. The read comes after the
 * lock, in its own statement, so it sees a close that committed while we waited.
 */
async function voteForCast(trx: Trx, voteId: string, userId: string): Promise<VoteForCast> {
	const locked = await sql<{ id: string }>`select id from sittings where id = (select sitting_id from votes where id = ${voteId}) for update`.execute(trx);
	if (locked.rows.length === 0) throw new AppError('NOT_FOUND', 'vote.notFound');
	const { rows } = await sql<VoteForCast>`
		select v.*,
			exists (select 1 from council_members m where m.council_id = v.council_id and m.user_id = ${userId} and m.role = 'delegate' and m.active) as is_delegate,
			exists (select 1 from attendance a where a.sitting_id = v.sitting_id and a.user_id = ${userId} and a.status in ('present_hall', 'present_remote')) as checked_in,
			(select b.idempotency_key from open_ballots b where b.vote_id = v.id and b.user_id = ${userId}) as open_key,
			exists (select 1 from open_ballots b where b.vote_id = v.id and b.user_id = ${userId}) as open_voted,
			(select p.idempotency_hash from secret_participation p where p.vote_id = v.id and p.user_id = ${userId}) as secret_hash,
			exists (select 1 from secret_participation p where p.vote_id = v.id and p.user_id = ${userId}) as secret_voted,
			(select count(*)::int from attendance a
				join council_members m on m.user_id = a.user_id and m.council_id = v.council_id and m.role = 'delegate' and m.active
				where a.sitting_id = v.sitting_id and a.status in ('present_hall', 'present_remote')) as present
		from votes v where v.id = ${voteId}`.execute(trx);
	return rows[0];
}

/** A retry of a ballot already counted gets the first answer again, even after the close. */
function previousAnswer(vote: VoteForCast, userId: string, key: string): CastResult | null {
	if (vote.kind === 'open') return vote.open_voted && vote.open_key === key ? { accepted: true } : null;
	return vote.secret_voted && vote.secret_hash === idempotencyHash(vote.id, userId, key) ? { accepted: true, receipt: receiptFromKey(vote.id, key) } : null;
}

/**
 * Counts a delegate's ballot exactly once. The database enforces one ballot per delegate and vote (primary
 * keys), the sitting lock orders every cast against the close, and a retry with the same idempotency key
 * gets the first answer back.
 */
export function castBallot(db: Db, input: CastInput): Promise<CastResult> {
	return db.transaction().execute(async (trx) => {
		const vote = await voteForCast(trx, input.voteId, input.userId);
		if (vote.is_delegate && input.idempotencyKey) {
			const retried = previousAnswer(vote, input.userId, input.idempotencyKey);
			if (retried) return retried;
		}
		const expired = vote.status === 'open' && vote.closes_at !== null && vote.closes_at.getTime() <= Date.now();
		const alreadyVoted = vote.kind === 'open' ? vote.open_voted : vote.secret_voted;
		assertCanCast({
			voteStatus: expired ? 'closed' : vote.status,
			isDelegateOfCouncil: vote.is_delegate,
			checkedIn: vote.checked_in,
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
		// Counted, not revealed: the event carries the count only, never who or what.
		await appendEvent(trx, vote.sitting_id, 'vote.ballot', { voteId: vote.id, voted, present: vote.present });
		return receipt ? { accepted: true as const, receipt } : { accepted: true as const };
	});
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
