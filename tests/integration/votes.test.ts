import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { as, db, userIdOf } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';

describe('votes', () => {
	it('30 delegates casting at once produce exactly 30 ballots and a result against all seated', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(30);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua nghị quyết?', kind: 'open', rule: 'majority' });
		const callers = await Promise.all(delegates().map((u) => as(u)));
		const choices = delegates().map((_, i) => (i < 16 ? 'yes' : i < 20 ? 'no' : 'abstain') as 'yes' | 'no' | 'abstain');
		const answers = await Promise.all(callers.map((c, i) => c.vote.cast({ voteId, choice: choices[i] })));
		expect(answers.every((a) => a.accepted)).toBe(true);
		const { count } = await db().selectFrom('open_ballots').select(db().fn.countAll<number>().as('count')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
		expect(Number(count)).toBe(30);
		const result = await chair.vote.close({ voteId });
		expect(result).toMatchObject({ yes: 16, no: 4, abstain: 10, notVoted: 0, seated: 30, present: 30, passed: true, requiredYes: 16, rule: { kind: 'majority' } });
		expect(result.choices).toHaveLength(30);
		expect(await (await as('delegate.26743.5')).vote.result({ voteId })).toMatchObject({ yes: 16, passed: true });
	});

	it('counts abstentions and absences as not-yes: 15 yes of 30 seated fails even with 21 present', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(21);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open' });
		const voters = delegates().slice(0, 21);
		await Promise.all(voters.map(async (u, i) => (await as(u)).vote.cast({ voteId, choice: i < 15 ? 'yes' : 'abstain' })));
		const result = await chair.vote.close({ voteId });
		expect(result).toMatchObject({ yes: 15, abstain: 6, notVoted: 9, seated: 30, present: 21, passed: false });
	});

	// (A dismissal is voted by secret ballot, counted by the same tallies: secret-ballot/vote-spec.test.ts.)
	it('passes a dismissal only with two thirds of all seated delegates (19 fails, 20 passes)', async () => {
		for (const [yes, passed] of [[19, false], [20, true]] as const) {
			const { sittingId, itemId, chair } = await sittingInProgress(25);
			const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Bãi nhiệm?', kind: 'open', rule: 'two_thirds' });
			await Promise.all(delegates().slice(0, 25).map(async (u, i) => (await as(u)).vote.cast({ voteId, choice: i < yes ? 'yes' : 'no' })));
			expect(await chair.vote.close({ voteId })).toMatchObject({ yes, seated: 30, passed, rule: { kind: 'two_thirds' } });
			await chair.sitting.close({ sittingId });
		}
	});

	it('refuses a second ballot, a ballot after the close, and an absent delegate, with clear messages', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open' });
		const d1 = await as('delegate.26743.1');
		await d1.vote.cast({ voteId, choice: 'yes' });
		await expect(d1.vote.cast({ voteId, choice: 'no' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('đã biểu quyết') });
		await expect((await as('delegate.26743.30')).vote.cast({ voteId, choice: 'yes' })).rejects.toMatchObject({ message: expect.stringContaining('điểm danh') });
		await chair.vote.close({ voteId });
		await expect((await as('delegate.26743.2')).vote.cast({ voteId, choice: 'yes' })).rejects.toMatchObject({ code: 'CONFLICT' });
		const rows = await db().selectFrom('open_ballots').select(['user_id', 'choice']).where('vote_id', '=', voteId).execute();
		expect(rows).toEqual([{ user_id: await userIdOf('delegate.26743.1'), choice: 'yes' }]);
		await expect(chair.vote.close({ voteId })).rejects.toMatchObject({ code: 'CONFLICT' });
	});

	it('answers a retried cast with the same idempotency key with the first answer', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open' });
		const d = await as('delegate.26743.3');
		const first = await d.vote.cast({ voteId, choice: 'no', idempotencyKey: 'retry-key-1' });
		expect(first).toEqual({ accepted: true });
		expect(await d.vote.cast({ voteId, choice: 'no', idempotencyKey: 'retry-key-1' })).toEqual(first);
		await expect(d.vote.cast({ voteId, choice: 'yes', idempotencyKey: 'another-key' })).rejects.toMatchObject({ code: 'CONFLICT' });
		const result = await chair.vote.close({ voteId });
		expect(result).toMatchObject({ no: 1, yes: 0, cast: 1 });
	});

	it('shows how many have voted while open, never the choices, and only one vote at a time', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open' });
		await expect(chair.vote.open({ sittingId, itemId, question: 'Q2', kind: 'open' })).rejects.toMatchObject({ code: 'CONFLICT' });
		await (await as('delegate.26743.1')).vote.cast({ voteId, choice: 'yes' });
		const view = await (await as('delegate.26743.2')).vote.get({ voteId });
		expect(view).toMatchObject({ status: 'open', voted: 1, result: null, iHaveVoted: false });
		await expect(chair.vote.result({ voteId })).rejects.toMatchObject({ code: 'CONFLICT' });
		const events = await db().selectFrom('sitting_events').select(['type', 'payload']).where('sitting_id', '=', sittingId).where('type', '=', 'vote.ballot').execute();
		expect(events.map((e) => e.payload)).toEqual([{ voteId, voted: 1, present: 20 }]);
	});

	it('cannot open a vote without a quorum', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const secretary = await as('secretary.26743');
		await secretary.attendance.mark({ sittingId, delegateId: await userIdOf('delegate.26743.1'), status: 'absent', reason: 'Về sớm' });
		await expect(chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open' })).rejects.toMatchObject({ message: 'Chưa đủ số đại biểu tham dự theo quy định (19/30, cần tối thiểu 20).' });
		expect(await db().selectFrom('votes').select('id').where('sitting_id', '=', sittingId).execute()).toEqual([]);
	});

	it('closes a vote as void with a reason; nothing is deleted', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Nhầm', kind: 'open' });
		await chair.vote.void({ voteId, reason: 'Mở nhầm nội dung' });
		expect(await chair.vote.result({ voteId })).toMatchObject({ status: 'void', reason: 'Mở nhầm nội dung' });
		await expect((await as('delegate.26743.1')).vote.cast({ voteId, choice: 'yes' })).rejects.toMatchObject({ code: 'CONFLICT' });
	});

	// (Elections and ratings are usually secret: the encrypted path counts them with these same tallies.)
	it('elects candidates with more than half of the seated, and rates confidence per person', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(30);
		const candidates = [{ id: 'a', name: 'Nguyễn Văn A' }, { id: 'b', name: 'Trần Thị B' }, { id: 'c', name: 'Lê Văn C' }];
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Bầu Phó Chủ tịch', kind: 'open', options: { candidates, maxChoices: 2 } });
		await Promise.all(delegates().map(async (u, i) => (await as(u)).vote.cast({ voteId, choice: i < 16 ? ['a', 'b'] : ['c'] })));
		await expect((await as('delegate.26743.1')).vote.cast({ voteId, choice: ['a'] })).rejects.toMatchObject({ code: 'CONFLICT' });
		const election = (await chair.vote.close({ voteId })) as unknown as { candidates: { id: string; votes: number; elected: boolean }[] };
		expect(election.candidates.map((c) => [c.id, c.votes, c.elected])).toEqual([['a', 16, true], ['b', 16, true], ['c', 14, false]]);

		const persons = [{ id: 'p1', name: 'Phạm Văn D' }];
		const { voteId: rating } = await chair.vote.open({ sittingId, itemId, question: 'Lấy phiếu tín nhiệm', kind: 'open', options: { persons } });
		await expect((await as('delegate.26743.1')).vote.cast({ voteId: rating, choice: { p1: 'excellent' } as never })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await Promise.all(delegates().slice(0, 10).map(async (u, i) => (await as(u)).vote.cast({ voteId: rating, choice: { p1: i < 4 ? 'high' : 'low' } })));
		const confidence = (await chair.vote.close({ voteId: rating })) as unknown as { persons: { high: { count: number }; low: { count: number; share: { num: number; den: number } } }[] };
		expect(confidence.persons[0].high.count).toBe(4);
		expect(confidence.persons[0].low).toMatchObject({ count: 6, share: { num: 6, den: 30 } });
	});

	it('closes a timed vote by itself when its time is up', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Q', kind: 'open', durationSec: 10 });
		await (await as('delegate.26743.1')).vote.cast({ voteId, choice: 'yes' });
		await sql`update votes set closes_at = now() - interval '1 second' where id = ${voteId}`.execute(db());
		await expect((await as('delegate.26743.2')).vote.cast({ voteId, choice: 'yes' })).rejects.toMatchObject({ code: 'CONFLICT' });
		const { closeDueVotes } = await import('../../app/lib/server/votes/close-vote');
		expect(await closeDueVotes(db())).toBe(1);
		expect(await chair.vote.result({ voteId })).toMatchObject({ yes: 1, status: 'closed' });
	});
});
