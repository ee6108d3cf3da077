/**
 * The public board of a counted encrypted vote: everything `verifyTally` needs to recompute the result alone —
 * the committee's dealings (hence the joint key and every verification key), voter → ballot with every proof, the
 * sums, the partial decryptions and the counts. Published after the count; ballots listed by voter id, so their
 * order says nothing about when anyone cast. `npm run verify:tally` and the public page check it.
 */
import type { Db } from '../../../../db/client.js';
import type { ElectionSpec } from '../../domain/ballot';
import type { Ballot } from '../../secret-ballot/ballot';
import type { EncryptedSum, PartialDecryption } from '../../secret-ballot/tally';
import type { TallyBoard } from '../../secret-ballot/verify-tally';
import { AppError } from '../errors';
import { committeeOf, dealingsOf } from './ceremony';
import { cryptoSpec, type EncryptedBallotType } from './vote-spec';

export interface PublicBoard extends TallyBoard {
	question: string;
	ballotType: EncryptedBallotType;
	options: unknown;
	/** The receipts: one tracker per voter, in the same order as `ballots`. */
	trackers: string[];
	/** The result as stored (votes.result). */
	result: unknown;
}

export async function tallyBoard(db: Db, voteId: string): Promise<PublicBoard> {
	const setup = await db.selectFrom('secret_vote_setups').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
	if (!setup) throw new AppError('NOT_FOUND', 'vote.notFound');
	const tally = await db.selectFrom('encrypted_tallies').selectAll().where('vote_id', '=', voteId).executeTakeFirst();
	if (!tally || tally.counts === null) throw new AppError('PRECONDITION_FAILED', 'secretBallot.notCounted');
	const vote = await db.selectFrom('votes').select(['question', 'result']).where('id', '=', voteId).executeTakeFirstOrThrow();
	const ballots = await db.selectFrom('encrypted_ballots').select(['user_id', 'tracker', 'ballot']).where('vote_id', '=', voteId).orderBy('user_id').execute();
	const partials = await db.selectFrom('secret_partials').select('partial').where('vote_id', '=', voteId).orderBy('idx').execute();
	return {
		voteId,
		question: vote.question,
		ballotType: setup.ballot_type,
		options: setup.options,
		spec: cryptoSpec(setup.ballot_type, setup.options as ElectionSpec | null),
		committee: {
			threshold: setup.threshold,
			members: setup.members,
			dealings: dealingsOf(await committeeOf(db, setup.id))
		},
		publicKey: setup.public_key!,
		ballots: ballots.map((b) => ({
			voterId: b.user_id,
			ballot: b.ballot as Ballot
		})),
		trackers: ballots.map((b) => b.tracker),
		sums: tally.sums as EncryptedSum[],
		partials: partials.map((p) => p.partial as PartialDecryption),
		counts: tally.counts as number[],
		result: vote.result
	};
}
