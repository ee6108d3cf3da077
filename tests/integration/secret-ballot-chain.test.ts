import { describe, expect, it } from 'vitest';
import { ANCHOR_EVENT } from '../../app/lib/chain-anchors/anchor';
import { verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { as, db } from '../helpers/callers';
import { encryptedBallotOf, openEncryptedVote, partialOf } from '../helpers/secret-ballot';
import { delegates } from '../helpers/sittings';

// Issue 17: an encrypted secret vote keeps the sitting's chain verifiable at every stage — while its committee has
// not yet counted (its ballots committed in 'vote.counting') and once counted ('vote.closed', then its signed head)
// — and a ballot swapped in the database afterwards is named by verify:chain as for every other vote.
describe('encrypted secret ballot and the sitting chain', () => {
	it('verifies while counting and once counted, signs the counted head, and names a swapped ballot', async () => {
		const { sittingId, voteId, publicKey, chair, members, secrets } = await openEncryptedVote(20);
		for (const [i, voter] of delegates().slice(0, 5).entries()) {
			const { ballot } = await encryptedBallotOf(voteId, publicKey, voter, i % 3);
			await (await as(voter)).secretBallot.cast({ voteId, ballot });
		}
		await chair.secretBallot.closeCasting({ voteId });
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });

		const { sums } = await db().selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		for (const m of [0, 1]) await members[m].secretBallot.postPartial({ voteId, partial: partialOf(secrets[m], sums as { c1: string; c2: string }[]) });
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });

		const events = await db().selectFrom('sitting_events').select(['seq', 'type', 'hash', 'payload']).where('sitting_id', '=', sittingId).orderBy('seq').execute();
		const closed = events.find((e) => e.type === 'vote.closed' && (e.payload as { voteId: string }).voteId === voteId)!;
		const anchor = events.find((e) => e.type === ANCHOR_EVENT && Number(e.seq) > Number(closed.seq))!;
		expect((anchor.payload as { seq: number; hash: string }).seq).toBe(Number(closed.seq));
		expect((anchor.payload as { seq: number; hash: string }).hash).toBe(closed.hash);

		// Two stored ballots swap voters: each is still a valid ciphertext, but not the one the chain committed to.
		const [a, b] = await db().selectFrom('encrypted_ballots').select(['user_id', 'tracker']).where('vote_id', '=', voteId).orderBy('user_id').limit(2).execute();
		await db().updateTable('encrypted_ballots').set({ tracker: `${a.tracker}-moved` }).where('vote_id', '=', voteId).where('user_id', '=', a.user_id).execute();
		await db().updateTable('encrypted_ballots').set({ tracker: a.tracker }).where('vote_id', '=', voteId).where('user_id', '=', b.user_id).execute();
		await db().updateTable('encrypted_ballots').set({ tracker: b.tracker }).where('vote_id', '=', voteId).where('user_id', '=', a.user_id).execute();
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: false, reason: 'ballots_altered', voteId, firstBadSeq: Number(closed.seq) });
	});
});
