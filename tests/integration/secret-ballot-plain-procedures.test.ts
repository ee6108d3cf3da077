import { describe, expect, it } from 'vitest';
import { closeDueVotes } from '../../app/lib/server/votes/close-vote';
import { as, db } from '../helpers/callers';
import { openEncryptedVote } from '../helpers/secret-ballot';
import { delegates } from '../helpers/sittings';

// Issue 17: an encrypted secret vote is reachable by the open vote's procedures too (it is a `votes` row). A plain
// choice sent to vote.cast is refused before anything is stored — it never reaches a table — and vote.close points
// to the secret ballot's own close; the time limit's timer ends its casting the secret ballot's way.
describe('an encrypted secret vote through the plain procedures', () => {
	it('refuses a plain cast and a plain close with clear errors, storing nothing', async () => {
		const { voteId, chair } = await openEncryptedVote(20);
		const voter = await as(delegates()[0]);
		await expect(voter.vote.cast({ voteId, choice: 'yes' })).rejects.toMatchObject({ code: 'BAD_REQUEST', i18nKey: 'secretBallot.castEncrypted' });
		const vote = await db().selectFrom('votes').select(['ballots_cast', 'status']).where('id', '=', voteId).executeTakeFirstOrThrow();
		expect(vote).toEqual({ ballots_cast: 0, status: 'open' });
		expect(await db().selectFrom('encrypted_ballots').select('user_id').where('vote_id', '=', voteId).execute()).toEqual([]);
		expect(await db().selectFrom('open_ballots').select('user_id').where('vote_id', '=', voteId).execute()).toEqual([]);
		await expect(chair.vote.close({ voteId })).rejects.toMatchObject({ code: 'BAD_REQUEST', i18nKey: 'secretBallot.closeEncrypted' });
		expect((await db().selectFrom('votes').select('status').where('id', '=', voteId).executeTakeFirstOrThrow()).status).toBe('open');
	});

	it('takes a time limit, and is closed for counting by the timer at its end', async () => {
		const { voteId } = await openEncryptedVote(20, { durationSec: 600 });
		const { opened_at, closes_at } = await db().selectFrom('votes').select(['opened_at', 'closes_at']).where('id', '=', voteId).executeTakeFirstOrThrow();
		expect(closes_at!.getTime() - opened_at.getTime()).toBe(600_000);
		await db().updateTable('votes').set({ closes_at: new Date(Date.now() - 1000) }).where('id', '=', voteId).execute();
		expect(await closeDueVotes(db())).toBeGreaterThanOrEqual(1);
		const vote = await db().selectFrom('votes').select(['status', 'result']).where('id', '=', voteId).executeTakeFirstOrThrow();
		expect(vote.status).toBe('closed');
		expect((vote.result as { status: string }).status).toBe('counting');
		expect(await db().selectFrom('encrypted_tallies').select('vote_id').where('vote_id', '=', voteId).executeTakeFirst()).toEqual({ vote_id: voteId });
	});
});
