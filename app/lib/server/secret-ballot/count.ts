/**
 * Closing and counting an encrypted secret vote. No single ballot is ever decrypted, by anyone:
 *  1. the chair (or the vote's time limit) closes casting: under the sitting's lock no ballot slips in after; the
 *     ciphertexts are summed option by option (in a worker thread) and the sums stored with the seated and present
 *     numbers of that moment (present: checked in, or voted — as for every vote). The vote is closed; its result
 *     says it is being counted;
 *  2. committee members post their partial decryptions of the SUMS (`partialDecrypt` on their device, with their
 *     saved member file); each is checked against the member's verification key before it is stored;
 *  3. with t valid partials the counts are read (`combinePartials`) and the result decided by the same pure
 *     tallies as every vote (vote-spec.ts → domain/tally.ts); stored once, announced by `vote.closed`. Fewer than
 *     t members cannot count: the vote stays "counting", with no result.
 *
 * Switch-over: `closeVote` / `closeDueVotes` (votes/close-vote.ts) call `closeEncryptedCasting` for a vote that
 * has a setup, instead of reading a ballot box.
 */
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { ElectionSpec } from '../../domain/ballot';
import type { PassRule } from '../../domain/pass-rule';
import { assertVoteTransition } from '../../domain/vote-lifecycle';
import type { EncryptedSum } from '../../secret-ballot/tally';
import { AppError } from '../errors';
import { anchorAfterClose } from '../sittings/anchor';
import { appendEvent, type Trx } from '../sittings/events';
import { seatedCount } from '../sittings/state';
import { committeeOf, dealingsOf, loadSetup, memberOf, paramsOf } from './ceremony';
import { encryptedBallotsDigest } from './digest';
import { lockVote, presentAtClose } from '../votes/closing';
import { runSecretJob } from './pool';
import { cryptoSpec, resultFromCounts, type EncryptedBallotType } from './vote-spec';

export function closeEncryptedCasting(db: Db, voteId: string, closedBy: string | null) {
	return db.transaction().execute(async (trx) => {
		const vote = await lockVote(trx, voteId);
		const setup = await trx.selectFrom('secret_vote_setups').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
		if (!setup) throw new AppError('BAD_REQUEST', 'secretBallot.notEncrypted');
		if (vote.status !== 'open') throw new AppError('CONFLICT', 'VOTE_CLOSED');
		assertVoteTransition(vote.status, 'closed');
		const rows = await trx.selectFrom('encrypted_ballots').select(['user_id', 'tracker', 'ballot']).where('vote_id', '=', voteId).orderBy('user_id').execute();
		const spec = cryptoSpec(setup.ballot_type, setup.options as ElectionSpec | null);
		const sums = await runSecretJob('sumBallots', {
			ballots: rows.map((r) => (r.ballot as { options: { c1: string; c2: string }[] }).options.map((o) => ({ c1: o.c1, c2: o.c2 }))),
			options: spec.options
		});
		const seated = await seatedCount(trx, vote.council_id);
		const present = Math.min(await presentAtClose(trx, vote, 'encrypted_ballots'), seated);
		const closedAt = new Date();
		const result = {
			voteId,
			question: vote.question,
			kind: vote.kind,
			ballotType: vote.ballot_type,
			status: 'counting' as const,
			voted: rows.length,
			seated,
			present,
			closedAt: closedAt.toISOString()
		};
		await trx
			.insertInto('encrypted_tallies')
			.values({
				vote_id: voteId,
				sums: JSON.stringify(sums),
				ballots: rows.length,
				seated,
				present,
				counts: null,
				counted_at: null
			})
			.execute();
		await trx
			.updateTable('votes')
			.set({
				status: 'closed',
				closed_at: closedAt,
				result: JSON.stringify(result)
			})
			.where('id', '=', voteId)
			.execute();
		await trx
			.insertInto('audit_log')
			.values({
				user_id: closedBy,
				council_id: vote.council_id,
				action: 'vote.close',
				details: JSON.stringify({ voteId })
			})
			.execute();
		const ballotsDigest = encryptedBallotsDigest(
			voteId,
			rows.map((r) => ({ userId: r.user_id, tracker: r.tracker }))
		);
		await appendEvent(trx, vote.sitting_id, 'vote.counting', {
			voteId,
			voted: rows.length,
			seated,
			present,
			sums,
			ballotsDigest
		});
		return result;
	});
}

async function tallyOf(db: Db | Trx, voteId: string) {
	const tally = await db.selectFrom('encrypted_tallies').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
	if (!tally) throw new AppError('PRECONDITION_FAILED', 'secretBallot.notCounting');
	return tally;
}

/** A committee member's partial decryption of the sums: checked, stored, and the count made once t are in. */
export async function postPartial(db: Db, input: { voteId: string; userId: string; partial: unknown }) {
	const tally = await tallyOf(db, input.voteId);
	if (tally.counts !== null) throw new AppError('CONFLICT', 'secretBallot.alreadyCounted');
	const setup = await loadSetup(db, input.voteId);
	const member = await memberOf(db, setup.id, input.userId);
	const partial = input.partial as { index?: unknown; shares?: unknown };
	if (typeof partial !== 'object' || partial === null || partial.index !== member.idx) throw new AppError('BAD_REQUEST', 'secretBallot.badPartial');
	const dealings = dealingsOf(await committeeOf(db, setup.id));
	const ok = await runSecretJob('checkPartial', {
		params: paramsOf(setup),
		dealings,
		publicKey: setup.public_key!,
		sums: tally.sums as EncryptedSum[],
		index: member.idx,
		partial
	});
	if (!ok) throw new AppError('BAD_REQUEST', 'secretBallot.badPartial');
	const inserted = await db
		.insertInto('secret_partials')
		.values({
			vote_id: input.voteId,
			idx: member.idx,
			partial: JSON.stringify({ index: member.idx, shares: partial.shares })
		})
		.onConflict((oc) => oc.doNothing())
		.returning('idx')
		.executeTakeFirst();
	if (!inserted) throw new AppError('CONFLICT', 'secretBallot.partialPosted');
	const { n } = await db
		.selectFrom('secret_partials')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('vote_id', '=', input.voteId)
		.executeTakeFirstOrThrow();
	if (n < setup.threshold)
		return {
			accepted: true as const,
			partials: n,
			threshold: setup.threshold,
			counted: false
		};
	try {
		await countEncryptedVote(db, input.voteId);
	} catch (err) {
		// Another member's partial counted it first.
		if (!(err instanceof AppError && err.i18nKey === 'secretBallot.alreadyCounted')) throw err;
	}
	return {
		accepted: true as const,
		partials: n,
		threshold: setup.threshold,
		counted: true
	};
}

/** Reads the counts from t stored partials and decides the result; refused while fewer than t are in. */
export async function countEncryptedVote(db: Db, voteId: string) {
	const result = await db.transaction().execute(async (trx) => {
		const vote = await lockVote(trx, voteId);
		const tally = await tallyOf(trx, voteId);
		if (tally.counts !== null) throw new AppError('CONFLICT', 'secretBallot.alreadyCounted');
		const setup = await loadSetup(trx, voteId);
		const partials = await trx.selectFrom('secret_partials').select(['idx', 'partial']).where('vote_id', '=', voteId).orderBy('idx').execute();
		if (partials.length < setup.threshold) {
			throw new AppError('PRECONDITION_FAILED', 'secretBallot.tooFewPartials', {
				threshold: setup.threshold,
				have: partials.length
			});
		}
		const dealings = dealingsOf(await committeeOf(trx, setup.id));
		const ballots = await trx.selectFrom('encrypted_ballots').select(['user_id', 'tracker']).where('vote_id', '=', voteId).execute();
		const counts = await runSecretJob('count', {
			params: paramsOf(setup),
			dealings,
			publicKey: setup.public_key!,
			sums: tally.sums as EncryptedSum[],
			partials: partials.slice(0, setup.threshold).map((p) => ({ index: p.idx, partial: p.partial })),
			ballots: tally.ballots
		});
		const tallied = resultFromCounts(
			setup.ballot_type as EncryptedBallotType,
			setup.options as ElectionSpec | null,
			counts,
			tally.ballots,
			tally.seated,
			tally.present,
			setup.rule as PassRule
		);
		const result = {
			voteId,
			question: vote.question,
			kind: vote.kind,
			ballotType: vote.ballot_type,
			...tallied,
			encrypted: true,
			counts,
			status: 'closed' as const,
			closedAt: vote.closed_at?.toISOString() ?? null
		};
		await trx
			.updateTable('encrypted_tallies')
			.set({ counts: JSON.stringify(counts), counted_at: new Date() })
			.where('vote_id', '=', voteId)
			.execute();
		await trx
			.updateTable('votes')
			.set({ result: JSON.stringify(result) })
			.where('id', '=', voteId)
			.execute();
		await appendEvent(trx, vote.sitting_id, 'vote.closed', {
			voteId,
			result,
			ballotsDigest: encryptedBallotsDigest(
				voteId,
				ballots.map((b) => ({ userId: b.user_id, tracker: b.tracker }))
			)
		});
		return result;
	});
	// The vote's close is its count: its head is signed once that is committed, as closeVote's is.
	await anchorAfterClose(db, { closed: 'vote', voteId });
	return result;
}
