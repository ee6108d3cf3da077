import { sql } from 'kysely';
import { AppError } from '../errors';
import { lockSitting, type Trx } from '../sittings/events';

/*
 * What every close of a vote reads first, whatever its ballots are (votes/close-vote.ts for open ballots,
 * secret-ballot/count.ts for encrypted ones).
 */

/** The vote, under its sitting's lock (taken as every writer of a sitting takes it), then its own row's. */
export async function lockVote(trx: Trx, voteId: string) {
	const ref = await trx.selectFrom('votes').select('sitting_id').where('id', '=', voteId).executeTakeFirst();
	if (!ref) throw new AppError('NOT_FOUND', 'vote.notFound');
	await lockSitting(trx, ref.sitting_id);
	return trx.selectFrom('votes').selectAll().where('id', '=', voteId).forUpdate().executeTakeFirstOrThrow();
}

/** The table that says who voted, by the kind of ballot. */
export type VotersTable = 'open_ballots' | 'encrypted_ballots';

/** Present at the close: delegates checked in, and anyone who voted (they took part even if they left). */
export async function presentAtClose(trx: Trx, vote: { id: string; sitting_id: string; council_id: string }, voters: VotersTable): Promise<number> {
	const { rows } = await sql<{ n: number }>`
		select count(*)::int as n from (
			select a.user_id from attendance a
			join council_members m on m.user_id = a.user_id and m.council_id = ${vote.council_id} and m.role = 'delegate' and m.active
			where a.sitting_id = ${vote.sitting_id} and a.status in ('present_hall', 'present_remote')
			union
			select v.user_id from ${sql.table(voters)} v where v.vote_id = ${vote.id}
		) p`.execute(trx);
	return rows[0].n;
}
