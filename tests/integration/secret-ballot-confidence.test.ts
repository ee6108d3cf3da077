import { describe, expect, it } from 'vitest';
import { normaliseSpec, verifyTally } from '../../app/lib/secret-ballot';
import { encryptVector, publicKeyPoint } from '../../app/lib/secret-ballot/ballot';
import { as, db, userIdOf } from '../helpers/callers';
import { COMMITTEE, encryptedBallotOf, openEncryptedVote, partialOf } from '../helpers/secret-ballot';
import { delegates, sittingInProgress } from '../helpers/sittings';

// Issue 17: a confidence rating (lấy phiếu tín nhiệm) is a secret vote like the others — encrypted on the delegate's
// device, one group of three levels per person, each group proven to hold exactly one level, counted from the sums.
const persons = [
	{ id: 'p-chu-tich', name: 'Nguyễn Văn A' },
	{ id: 'p-pho-chu-tich', name: 'Trần Thị B' }
];
const spec = { options: 6, min: 1, max: 1, groups: 2 };
// high 0, confidence 1, low 2; person p's level L is option 3p + L.
const rate = (a: number, b: number) => [a, 3 + b];

describe('encrypted secret ballot: a confidence rating', () => {
	it('counts each person’s three levels from the sums, refuses a ballot that rates a person twice, and its board verifies', async () => {
		const { voteId, publicKey, chair, members, secrets } = await openEncryptedVote(20, { options: { persons } });
		const voters = delegates().slice(0, 6);
		// A: high ×4, low ×2. B: confidence ×3, low ×3.
		const ratings = [rate(0, 1), rate(0, 1), rate(0, 1), rate(0, 2), rate(2, 2), rate(2, 2)];
		for (let i = 0; i < voters.length; i++) {
			const { ballot } = await encryptedBallotOf(voteId, publicKey, voters[i], ratings[i], spec);
			await (await as(voters[i])).secretBallot.cast({ voteId, ballot });
		}
		// A yes/no-shaped ballot (one group of three) is not a rating of two persons.
		const wrongShape = (await encryptedBallotOf(voteId, publicKey, delegates()[7], 0)).ballot;
		await expect((await as(delegates()[7])).secretBallot.cast({ voteId, ballot: wrongShape })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'secretBallot.ballot.wrong-length'
		});
		// A dishonest page's ballot: person A rated both high and confidence, person B not at all (still two 1s in all).
		const voterId = await userIdOf(delegates()[7]);
		const twice = encryptVector({ ...spec, publicKey, voteId, voterId }, normaliseSpec(spec)!, publicKeyPoint(publicKey)!, [1, 1, 0, 0, 0, 0], true).ballot;
		await expect((await as(delegates()[7])).secretBallot.cast({ voteId, ballot: twice })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'secretBallot.ballot.sum-proof'
		});
		expect(await db().selectFrom('encrypted_ballots').select('user_id').where('vote_id', '=', voteId).execute()).toHaveLength(6);

		await chair.secretBallot.closeCasting({ voteId });
		const { sums } = await db().selectFrom('encrypted_tallies').select('sums').where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		for (const m of [0, 2]) await members[m].secretBallot.postPartial({ voteId, partial: partialOf(secrets[m], sums as { c1: string; c2: string }[]) });

		const result = (await chair.vote.result({ voteId })) as {
			ballotType: string;
			counts: number[];
			cast: number;
			persons: { id: string; high: { count: number }; confidence: { count: number }; low: { count: number } }[];
		};
		expect(result.ballotType).toBe('confidence');
		expect(result.cast).toBe(6);
		expect(result.counts).toEqual([4, 0, 2, 0, 3, 3]);
		expect(result.persons.map((p) => [p.id, p.high.count, p.confidence.count, p.low.count])).toEqual([
			['p-chu-tich', 4, 0, 2],
			['p-pho-chu-tich', 0, 3, 3]
		]);
		const board = await chair.secretBallot.board({ voteId });
		expect(board.spec).toEqual(spec);
		expect(verifyTally(board)).toMatchObject({ ok: true, counts: [4, 0, 2, 0, 3, 3] });
	});

	it('a list longer than one encrypted ballot holds is refused when the vote is prepared', async () => {
		const s = await sittingInProgress(20);
		const committee = await Promise.all(COMMITTEE.map((u) => userIdOf(u)));
		const many = Array.from({ length: 65 }, (_, i) => ({ id: `p${i}`, name: `Người ${i + 1}` }));
		await expect(
			s.chair.secretBallot.prepare({ sittingId: s.sittingId, itemId: s.itemId, question: 'Lấy phiếu tín nhiệm', committee, options: { persons: many } })
		).rejects.toMatchObject({ code: 'BAD_REQUEST', i18nKey: 'secretBallot.tooManyOptions', params: { max: 64 } });
		expect(await db().selectFrom('secret_vote_setups').select('id').where('sitting_id', '=', s.sittingId).execute()).toEqual([]);
	});
});
