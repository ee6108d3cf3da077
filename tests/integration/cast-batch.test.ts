import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { setAttendance } from '../../app/lib/server/sittings/attendance';
import { castBallot } from '../../app/lib/server/votes/cast-ballot';
import { planBatch } from '../../app/lib/server/votes/batch-plan';
import { CastBatcher } from '../../app/lib/server/votes/cast-batch';
import { loadSittingFacts, voteForCast } from '../../app/lib/server/votes/voting-facts';
import { writeBallots } from '../../app/lib/server/votes/write-ballots';
import { db, userIdOf } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';

// Casts travel in groups (one read, one write for the whole group); these check that a group writes exactly
// what the same casts made one by one would, that one sitting never holds up or spoils another's ballots, and
// that nothing is counted on facts that changed before the write.

async function openVoteIn(code: string, present = 30) {
	const { sittingId, itemId, chair } = await sittingInProgress(present, code);
	const { voteId } = await chair.vote.open({ sittingId, itemId, question: 'Thông qua?', kind: 'open' });
	const userIds = await Promise.all(delegates(code).map((u) => userIdOf(u)));
	return { sittingId, voteId, userIds, chair };
}

async function ballotsOf(voteId: string) {
	const { n } = await db().selectFrom('open_ballots').select(db().fn.countAll<number>().as('n')).where('vote_id', '=', voteId).executeTakeFirstOrThrow();
	const { ballots_cast } = await db().selectFrom('votes').select('ballots_cast').where('id', '=', voteId).executeTakeFirstOrThrow();
	return { stored: Number(n), counted: ballots_cast };
}

describe('ballots cast in groups', () => {
	it('casts of three sittings arriving together go in few groups; every ballot is stored once and every chain verifies', async () => {
		const votes = [await openVoteIn('26743'), await openVoteIn('26740'), await openVoteIn('26737')];
		const batcher = new CastBatcher(db(), 1);
		const casts = votes.flatMap((v) => v.userIds.slice(0, 20).map((userId, i) => batcher.cast({ voteId: v.voteId, userId, choice: i % 3 === 0 ? 'no' : 'yes' })));
		const outcomes = await Promise.all(casts);
		expect(outcomes.every((o) => typeof o === 'object' && o.accepted)).toBe(true);
		// One group in flight at a time: the first cast leaves alone, the other 59 wait and leave together.
		expect(batcher.groupsSent).toBeLessThanOrEqual(3);
		for (const v of votes) {
			expect(await ballotsOf(v.voteId)).toEqual({ stored: 20, counted: 20 });
			expect(await verifySittingChain(db(), v.sittingId)).toMatchObject({ ok: true });
			const counts = await db().selectFrom('sitting_events').select(sql<number>`(payload->>'voted')::int`.as('voted')).where('sitting_id', '=', v.sittingId).where('type', '=', 'vote.ballot').orderBy('seq').execute();
			expect(counts.map((c) => c.voted)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
			const result = await v.chair.vote.close({ voteId: v.voteId });
			expect(result).toMatchObject({ yes: 13, no: 7, seated: 30, present: 30 });
		}
	});

	it("skips a sitting whose lock another transaction holds, without holding up the other sittings' ballots", async () => {
		const held = await openVoteIn('26743');
		const free = await openVoteIn('26740');
		const batcher = new CastBatcher(db(), 1);
		let release!: () => void;
		const released = new Promise<void>((r) => (release = r));
		let locked!: () => void;
		const lockTaken = new Promise<void>((r) => (locked = r));
		const holder = db()
			.transaction()
			.execute(async (trx) => {
				await sql`select id from sittings where id = ${held.sittingId} for update`.execute(trx);
				locked();
				await released;
			});
		await lockTaken;
		let heldSettled = false;
		const onHeld = batcher.cast({ voteId: held.voteId, userId: held.userIds[0], choice: 'yes' }).finally(() => (heldSettled = true));
		const onFree = batcher.cast({ voteId: free.voteId, userId: free.userIds[0], choice: 'yes' });
		// The free sitting's ballot is counted while the held one's waits: its groups skip the held sitting, then it
		// waits for the lock the way every writer does.
		expect(await onFree).toEqual({ accepted: true });
		expect(heldSettled).toBe(false);
		expect(await ballotsOf(held.voteId)).toEqual({ stored: 0, counted: 0 });
		setTimeout(release, 200);
		await expect(onHeld).resolves.toEqual({ accepted: true });
		expect(batcher.lockedCasts).toBe(1);
		await holder;
		expect(await ballotsOf(held.voteId)).toEqual({ stored: 1, counted: 1 });
		expect(await verifySittingChain(db(), held.sittingId)).toMatchObject({ ok: true });
	});

	it('refuses only the casts the rules refuse; the rest of their group is counted', async () => {
		const v = await openVoteIn('26743', 20);
		const batcher = new CastBatcher(db(), 1);
		const first = batcher.cast({ voteId: v.voteId, userId: v.userIds[0], choice: 'yes' });
		const group = [
			batcher.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'yes' }),
			batcher.cast({ voteId: v.voteId, userId: v.userIds[25], choice: 'yes' }), // not checked in
			batcher.cast({ voteId: v.voteId, userId: v.userIds[2], choice: 'perhaps' }),
			batcher.cast({ voteId: '00000000-0000-4000-8000-000000000000', userId: v.userIds[3], choice: 'yes' }),
			batcher.cast({ voteId: 'not-a-uuid', userId: v.userIds[3], choice: 'yes' }),
			batcher.cast({ voteId: v.voteId, userId: v.userIds[4], choice: 'no' })
		];
		const settled = await Promise.allSettled([first, ...group]);
		expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as { code: string }).code))).toEqual([
			{ accepted: true },
			{ accepted: true },
			'NOT_CHECKED_IN',
			'INVALID_CHOICE',
			// No such vote: no sitting to decide it on, so it is cast under the lock, which answers NOT_FOUND; an id
			// the database refuses (the API's input check refuses it before) fails alone, not with its group.
			'NOT_FOUND',
			'22P02',
			{ accepted: true }
		]);
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 3, counted: 3 });
		expect(await verifySittingChain(db(), v.sittingId)).toMatchObject({ ok: true });
	});

	it('takes one ballot when the same delegate casts twice at once (the second waits for the next group)', async () => {
		const v = await openVoteIn('26743', 20);
		const settled = await Promise.allSettled([
			castBallot(db(), { voteId: v.voteId, userId: v.userIds[0], choice: 'yes' }),
			castBallot(db(), { voteId: v.voteId, userId: v.userIds[0], choice: 'no' }),
			castBallot(db(), { voteId: v.voteId, userId: v.userIds[1], choice: 'yes', idempotencyKey: 'k-1' }),
			castBallot(db(), { voteId: v.voteId, userId: v.userIds[1], choice: 'yes', idempotencyKey: 'k-1' })
		]);
		expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
		expect((settled[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'ALREADY_VOTED' });
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 2, counted: 2 });
		const rows = await db().selectFrom('open_ballots').select('choice').where('vote_id', '=', v.voteId).where('user_id', '=', v.userIds[0]).execute();
		expect(rows).toEqual([{ choice: 'yes' }]);
	});

	// Each group reads its sittings afresh (nothing is kept from one group to the next): a change made between two
	// casts is seen by the next cast's group, whose rules refuse it there and then.
	it('a ballot counted by another instance is seen by the next group: the same delegate is refused', async () => {
		const v = await openVoteIn('26743', 20);
		const [here, there] = [new CastBatcher(db(), 1), new CastBatcher(db(), 1)];
		expect(await here.cast({ voteId: v.voteId, userId: v.userIds[0], choice: 'yes' })).toEqual({ accepted: true });
		expect(await there.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'no' })).toEqual({ accepted: true });
		const groups = here.groupsSent;
		await expect(here.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'yes' })).rejects.toMatchObject({ code: 'ALREADY_VOTED' });
		expect(here.groupsSent - groups).toBe(1);
		expect(await here.cast({ voteId: v.voteId, userId: v.userIds[2], choice: 'yes' })).toEqual({ accepted: true });
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 3, counted: 3 });
		expect(await verifySittingChain(db(), v.sittingId)).toMatchObject({ ok: true });
	});

	it('a delegate checked out between two casts is refused', async () => {
		const v = await openVoteIn('26743', 20);
		const batcher = new CastBatcher(db(), 1);
		expect(await batcher.cast({ voteId: v.voteId, userId: v.userIds[0], choice: 'yes' })).toEqual({ accepted: true });
		await db().transaction().execute((trx) => setAttendance(trx, { sittingId: v.sittingId, userId: v.userIds[1], status: 'absent', by: v.userIds[1], source: 'self' }));
		const groups = batcher.groupsSent;
		await expect(batcher.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'yes' })).rejects.toMatchObject({ code: 'NOT_CHECKED_IN' });
		expect(batcher.groupsSent - groups).toBe(1);
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 1, counted: 1 });
	});

	it('a delegate whose membership ended between two casts is refused', async () => {
		const v = await openVoteIn('26743', 20);
		const batcher = new CastBatcher(db(), 1);
		expect(await batcher.cast({ voteId: v.voteId, userId: v.userIds[0], choice: 'yes' })).toEqual({ accepted: true });
		await db().updateTable('council_members').set({ active: false }).where('user_id', '=', v.userIds[1]).execute();
		const groups = batcher.groupsSent;
		await expect(batcher.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'yes' })).rejects.toMatchObject({ code: 'NOT_A_DELEGATE' });
		expect(batcher.groupsSent - groups).toBe(1);
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 1, counted: 1 });
		await db().updateTable('council_members').set({ active: true }).where('user_id', '=', v.userIds[1]).execute();
	});

	it('a vote whose time ran out between two casts is refused', async () => {
		const v = await openVoteIn('26743', 20);
		const batcher = new CastBatcher(db(), 1);
		expect(await batcher.cast({ voteId: v.voteId, userId: v.userIds[0], choice: 'yes' })).toEqual({ accepted: true });
		await sql`update votes set closes_at = now() - interval '1 second' where id = ${v.voteId}`.execute(db());
		const groups = batcher.groupsSent;
		await expect(batcher.cast({ voteId: v.voteId, userId: v.userIds[1], choice: 'yes' })).rejects.toMatchObject({ code: 'VOTE_CLOSED' });
		expect(batcher.groupsSent - groups).toBe(1);
		expect(await ballotsOf(v.voteId)).toEqual({ stored: 1, counted: 1 });
	});
});

// Between a group's read and its write nothing holds the sitting: these change the facts in that gap and check that
// the write counts nothing (its casts are then decided again on the next group's read). Each fails when the
// write's check is removed: the head for what the chain records, the write's own check for what it does not.
describe("a group's write when the facts changed after its read", () => {
	const changes: [string, (v: Awaited<ReturnType<typeof openVoteIn>>) => Promise<unknown>, number][] = [
		['another ballot of the sitting was counted (the head moved)', (v) => new CastBatcher(db(), 1).cast({ voteId: v.voteId, userId: v.userIds[2], choice: 'no' }), 1],
		[
			'the delegate checked out (the head moved)',
			(v) => db().transaction().execute((trx) => setAttendance(trx, { sittingId: v.sittingId, userId: v.userIds[1], status: 'absent', by: v.userIds[1], source: 'self' })),
			0
		],
		['the delegate’s membership ended (not in the chain)', (v) => db().updateTable('council_members').set({ active: false }).where('user_id', '=', v.userIds[1]).execute(), 0],
		['the vote’s time ran out (by the database’s clock)', (v) => sql`update votes set closes_at = now() - interval '1 second' where id = ${v.voteId}`.execute(db()), 0]
	];

	it.each(changes)('writes nothing when %s', async (_, change, storedByChange) => {
		const v = await openVoteIn('26743', 20);
		const input = { voteId: v.voteId, userId: v.userIds[1], choice: 'yes' };
		const [facts] = await loadSittingFacts(db(), [v.voteId]);
		const plan = planBatch([{ input, vote: voteForCast(facts, v.voteId, input.userId) }], new Date().toISOString());
		expect(plan.outcomes.map((o) => o.kind)).toEqual(['count']);
		await change(v);
		expect(await writeBallots(db(), plan)).toEqual(new Set());
		expect(await ballotsOf(v.voteId)).toEqual({ stored: storedByChange, counted: storedByChange });
		expect(await verifySittingChain(db(), v.sittingId)).toMatchObject({ ok: true });
		await db().updateTable('council_members').set({ active: true }).where('user_id', '=', v.userIds[1]).execute();
	});
});
