import { createHash } from 'node:crypto';
import { Migrator, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../db/migrate';
import { migrations } from '../../db/migrations';
import { canonicalJson } from '../../app/lib/server/domain/canonical-json';
import { appendEvent } from '../../app/lib/server/sittings/events';
import { verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { db, userIdOf } from '../helpers/callers';
import { delegates, sittingInProgress } from '../helpers/sittings';

// Issue 17, the switch-over (migration 0016): the plaintext secret tables go. A closed secret vote of before keeps
// what its chain committed to (its box's receipt → choice pairs), so the sitting still verifies; who took part goes;
// a plaintext secret vote still open stops the migration, changing nothing.

const tables = async () =>
	(await sql<{ t: string }>`select table_name as t from information_schema.tables where table_schema = 'public'`.execute(db())).rows.map((r) => r.t);

/** A plaintext secret vote as the code before the switch-over stored it (box, participation, votes row, events). */
async function plaintextSecretVote(s: Awaited<ReturnType<typeof sittingInProgress>>, status: 'open' | 'closed') {
	const chairId = await userIdOf('chair.26743');
	const ballots = [
		{ receipt: 'QX7P-2M4K-9T3A', choice: 'yes' },
		{ receipt: 'B2CD-8H5J-4N6R', choice: 'no' },
		{ receipt: 'M9FA-3K7W-1Z8E', choice: 'yes' }
	];
	const vote = await db()
		.insertInto('votes')
		.values({
			sitting_id: s.sittingId,
			item_id: s.itemId,
			council_id: s.councilId,
			question: 'Bỏ phiếu kín (trước khi mã hóa)',
			kind: 'secret',
			ballot_type: 'yes_no_abstain',
			options: null,
			rule: JSON.stringify({ kind: 'majority' }),
			allow_change: false,
			void_reason: null,
			opened_by: chairId,
			opened_at: new Date(),
			closes_at: null,
			closed_at: status === 'closed' ? new Date() : null,
			result: status === 'closed' ? JSON.stringify({ status: 'closed', yes: 2, no: 1, abstain: 0, cast: 3, seated: 30, present: 20, passed: false }) : null,
			status,
			ballots_cast: 3
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await sql`insert into secret_ballot_boxes (vote_id, ballots) values (${vote.id}, ${JSON.stringify(ballots)}::jsonb)`.execute(db());
	for (const u of delegates().slice(0, 3)) {
		await sql`insert into secret_participation (vote_id, user_id, idempotency_hash) values (${vote.id}, ${await userIdOf(u)}, null)`.execute(db());
	}
	if (status === 'closed') {
		// The digest the close wrote: the box's pairs sorted by receipt.
		const sorted = [...ballots].sort((a, b) => (a.receipt < b.receipt ? -1 : 1));
		const ballotsDigest = createHash('sha256').update(canonicalJson({ voteId: vote.id, ballots: sorted })).digest('hex');
		await db()
			.transaction()
			.execute((trx) =>
				appendEvent(trx, s.sittingId, 'vote.closed', { voteId: vote.id, result: { yes: 2, no: 1, abstain: 0, cast: 3, seated: 30, present: 20, passed: false }, ballotsDigest })
			);
	}
	return { voteId: vote.id, ballots };
}

describe('the switch-over: plaintext secret ballots archived, their tables dropped (migration 0016)', () => {
	it('vote.open refuses a plaintext secret vote, storing nothing', async () => {
		const s = await sittingInProgress(20);
		await expect(s.chair.vote.open({ sittingId: s.sittingId, itemId: s.itemId, question: 'Bỏ phiếu kín?', kind: 'secret' })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			i18nKey: 'vote.secretNeedsCommittee'
		});
		expect(await db().selectFrom('votes').select('id').where('sitting_id', '=', s.sittingId).execute()).toEqual([]);
	});

	it('archives a closed vote’s ballots so its chain still verifies; an open one stops the migration, changing nothing', async () => {
		const s = await sittingInProgress(20);
		const migrator = new Migrator({ db: db(), provider: { getMigrations: async () => migrations } });
		const down = await migrator.migrateTo('0015_secret_confidence');
		expect(down.error).toBeUndefined();
		expect(await tables()).toEqual(expect.arrayContaining(['secret_ballot_boxes', 'secret_participation']));

		const closed = await plaintextSecretVote(s, 'closed');
		const open = await plaintextSecretVote(await sittingInProgress(20), 'open');

		// An open plaintext vote: the migration stops and names it; the tables are as they were.
		await expect(migrateToLatest(db())).rejects.toThrow(new RegExp(`Còn phiếu kín không mã hóa đang mở: ${open.voteId}`));
		expect(await tables()).toEqual(expect.arrayContaining(['secret_ballot_boxes', 'secret_participation']));
		expect(await tables()).not.toContain('archived_secret_ballots');

		// Voided with the version before (as vote.void did), the migration runs.
		await db().updateTable('votes').set({ status: 'void', void_reason: 'Mở nhầm', closed_at: new Date() }).where('id', '=', open.voteId).execute();
		await migrateToLatest(db());
		const after = await tables();
		expect(after).toContain('archived_secret_ballots');
		expect(after).not.toContain('secret_ballot_boxes');
		expect(after).not.toContain('secret_participation');

		const archived = await db().selectFrom('archived_secret_ballots').select('ballots').where('vote_id', '=', closed.voteId).executeTakeFirstOrThrow();
		expect(archived.ballots).toEqual([...closed.ballots].sort((a, b) => (a.receipt < b.receipt ? -1 : 1)));
		expect(await verifySittingChain(db(), s.sittingId)).toMatchObject({ ok: true });

		// The archive is what the chain checks: a choice flipped in it is named.
		const flipped = (archived.ballots as { receipt: string; choice: string }[]).map((b, i) => (i === 0 ? { ...b, choice: 'yes' } : b));
		await db().updateTable('archived_secret_ballots').set({ ballots: JSON.stringify(flipped) }).where('vote_id', '=', closed.voteId).execute();
		expect(await verifySittingChain(db(), s.sittingId)).toMatchObject({ ok: false, reason: 'ballots_altered', voteId: closed.voteId });
	});
});
