import { randomInt } from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { AppError } from '../api/errors';
import { newReceiptCode } from '../domain/receipt';
import { appendEvent, type Trx } from '../sittings/events';
import { idempotencyHash, receiptFromKey } from './ballot-secret';
import { batcherFor } from './cast-batch';
import { ballotEvent, decide, type CastInput, type CastResult, type Decision, type VoteForCast } from './cast-rules';

export type { CastInput, CastResult } from './cast-rules';

/**
 * The vote, the sitting's chain head and everything the rules need about this delegate, in one query (the
 * locked path; grouped casts decide on a sitting snapshot instead: cast-snapshots.ts).
 */
async function readForCast(executor: Db | Trx, voteId: string, userId: string): Promise<VoteForCast | undefined> {
	const { rows } = await sql<VoteForCast>`/* prepared */
		select v.*, s.last_seq, s.head_hash,
			exists (select 1 from council_members m where m.council_id = v.council_id and m.user_id = ${userId}::uuid and m.role = 'delegate' and m.active) as is_delegate,
			exists (select 1 from attendance a where a.sitting_id = v.sitting_id and a.user_id = ${userId}::uuid and a.status in ('present_hall', 'present_remote')) as checked_in,
			(select b.idempotency_key from open_ballots b where b.vote_id = v.id and b.user_id = ${userId}::uuid) as open_key,
			exists (select 1 from open_ballots b where b.vote_id = v.id and b.user_id = ${userId}::uuid) as open_voted,
			(select p.idempotency_hash from secret_participation p where p.vote_id = v.id and p.user_id = ${userId}::uuid) as secret_hash,
			exists (select 1 from secret_participation p where p.vote_id = v.id and p.user_id = ${userId}::uuid) as secret_voted,
			(select count(*)::int from attendance a
				join council_members m on m.user_id = a.user_id and m.council_id = v.council_id and m.role = 'delegate' and m.active
				where a.sitting_id = v.sitting_id and a.status in ('present_hall', 'present_remote')) as present
		from votes v
		join sittings s on s.id = v.sitting_id
		where v.id = ${voteId}::uuid`.execute(executor);
	return rows[0];
}

/** The open ballot and the new count, as companions of the event's statement (written only with it). */
function openBallotWrites(vote: VoteForCast, input: CastInput, decision: Extract<Decision, { kind: 'count' }>): RawBuilder<unknown>[] {
	const writes = [
		sql`ballot as (
			insert into open_ballots (vote_id, user_id, choice, idempotency_key, cast_at)
			select ${vote.id}::uuid, ${input.userId}::uuid, ${JSON.stringify(decision.choice)}::jsonb, ${input.idempotencyKey ?? null}::text, now() from head
			on conflict (vote_id, user_id) do update set choice = excluded.choice, cast_at = excluded.cast_at)`
	];
	if (!decision.alreadyVoted) writes.push(sql`counted as (update votes set ballots_cast = ${decision.voted} where id = ${vote.id} and exists (select 1 from head))`);
	return writes;
}

/**
 * Takes the sitting's lock (as every writer of a sitting does, so casts are ordered against the close), then
 * reads in its own statement, so it sees a close that committed while we waited.
 */
function castUnderLock(db: Db, input: CastInput): Promise<CastResult> {
	return db.transaction().execute(async (trx) => {
		const locked = await sql`select id from sittings where id = (select sitting_id from votes where id = ${input.voteId}) for update`.execute(trx);
		if (locked.rows.length === 0) throw new AppError('NOT_FOUND', 'vote.notFound');
		const vote = (await readForCast(trx, input.voteId, input.userId))!;
		const decision = decide(vote, input);
		if (decision.kind === 'answered') return decision.result;
		const event = ballotEvent(vote, decision.voted);
		if (vote.kind === 'open') {
			await appendEvent(trx, vote.sitting_id, 'vote.ballot', event, { head: vote, alongside: openBallotWrites(vote, input, decision) });
			return { accepted: true as const };
		}
		const receipt = input.idempotencyKey ? receiptFromKey(vote.id, input.idempotencyKey) : newReceiptCode();
		await trx
			.insertInto('secret_participation')
			.values({ vote_id: vote.id, user_id: input.userId, idempotency_hash: input.idempotencyKey ? idempotencyHash(vote.id, input.userId, input.idempotencyKey) : null })
			.execute();
		await dropIntoBallotBox(trx, vote.id, { receipt, choice: decision.choice });
		await trx.updateTable('votes').set({ ballots_cast: decision.voted }).where('id', '=', vote.id).execute();
		await appendEvent(trx, vote.sitting_id, 'vote.ballot', event, { head: vote });
		return { accepted: true as const, receipt };
	});
}

const OPTIMISTIC_ATTEMPTS = 3;

/**
 * Counts a delegate's ballot exactly once. The database enforces one ballot per delegate and vote (primary
 * keys); every cast is ordered against the close by the sitting's chain head or its lock; a retry with the same
 * idempotency key gets the first answer back.
 *
 * An open ballot goes the optimistic way, without holding any lock across round trips: read, decide, then write
 * the ballot, the count and the event in one statement that applies only if the sitting's chain head is still
 * the one read. Every change of a sitting (a close, an attendance change, another ballot) moves that head, so a
 * write that applies was decided on current facts. Concurrent casts travel in groups (CastBatcher: one read and
 * one write for the whole group). Secret ballots, and open ones that lost the race three times, take the lock.
 */
export async function castBallot(db: Db, input: CastInput): Promise<CastResult> {
	for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
		const outcome = await batcherFor(db).cast(input);
		if (outcome === 'alone') break;
		if (outcome !== 'raced') return outcome;
	}
	return castUnderLock(db, input);
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
