/**
 * Casting an encrypted secret ballot. The server never sees the choice: it checks the ballot's proofs (in a
 * worker thread, against the vote's id, the SIGNED-IN delegate's id — never the one the ballot names —, the joint
 * key and the spec) and stores voter → ballot, which is public by design. The receipt is the ballot's tracker
 * (a hash of its ciphertexts), so it is the delegate's own: two delegates can never hold the same receipt.
 *
 * The rules are the open ballot's (`assertCanCast`: a delegate of the council, the vote open and not past its
 * time, checked in, one ballot — never changed), applied under the sitting's lock as every cast's are, and the
 * `vote.ballot` event carries the count and the present only (`ballotEvent`). A retry of the same ballot gets
 * the first answer again; a second, different ballot is ALREADY_VOTED; a ballot seen before (its tracker) is
 * refused whoever sends it.
 *
 * Switch-over: `vote.cast` of a vote with a setup (`secret_vote_setups.vote_id`) takes this path.
 */
import type { Db } from '../../../../db/client.js';
import type { ElectionSpec } from '../../domain/ballot';
import { assertCanCast } from '../../domain/vote-lifecycle';
import { ballotTracker } from '../../secret-ballot/ballot';
import { AppError } from '../errors';
import { appendEvent, type Trx } from '../sittings/events';
import { lockedSitting } from '../sittings/service';
import { isCheckedIn, isDelegateOf, presentCount } from '../sittings/state';
import { ballotEvent } from '../votes/cast-rules';
import { runSecretJob } from './pool';
import { cryptoSpec, type EncryptedBallotType } from './vote-spec';

export interface EncryptedCastInput {
	voteId: string;
	/** The signed-in delegate: the voter every proof must name. */
	userId: string;
	ballot: unknown;
}

/** The vote and its setup, or NOT_FOUND / not an encrypted vote. */
export async function encryptedVote(db: Db, voteId: string) {
	const vote = await db
		.selectFrom('votes as v')
		.leftJoin('secret_vote_setups as s', 's.vote_id', 'v.id')
		.select(['v.id', 'v.sitting_id', 'v.council_id', 'v.status', 'v.closes_at', 's.public_key', 's.ballot_type', 's.options', 's.threshold', 's.members'])
		.where('v.id', '=', voteId)
		.executeTakeFirst();
	if (!vote) throw new AppError('NOT_FOUND', 'vote.notFound');
	if (!vote.public_key || !vote.ballot_type || vote.threshold === null || vote.members === null) throw new AppError('BAD_REQUEST', 'secretBallot.notEncrypted');
	const spec = cryptoSpec(vote.ballot_type as EncryptedBallotType, vote.options as ElectionSpec | null);
	return {
		...vote,
		public_key: vote.public_key,
		threshold: vote.threshold,
		members: vote.members,
		spec
	};
}

/** The tracker of what was sent, if it has the shape of a ballot (for recognising a retry). */
function trackerOf(voteId: string, ballot: unknown): string | null {
	try {
		const options = (ballot as { options?: unknown }).options;
		if (!Array.isArray(options)) return null;
		return ballotTracker(voteId, options as { c1: string; c2: string }[]);
	} catch {
		return null;
	}
}

function expired(vote: { status: string; closes_at: Date | null }, now = Date.now()): boolean {
	return vote.status === 'open' && vote.closes_at !== null && vote.closes_at.getTime() <= now;
}

async function assertRules(
	db: Db | Trx,
	vote: {
		id: string;
		sitting_id: string;
		council_id: string;
		status: string;
		closes_at: Date | null;
	},
	userId: string,
	alreadyVoted: boolean
) {
	assertCanCast({
		voteStatus: expired(vote) ? 'closed' : (vote.status as 'open' | 'closed' | 'void'),
		isDelegateOfCouncil: await isDelegateOf(db, vote.council_id, userId),
		checkedIn: await isCheckedIn(db, vote.sitting_id, userId),
		alreadyVoted,
		allowChange: false
	});
}

/** The tracker of the ballot this voter already cast in this vote, if any. */
function trackerOfVoter(db: Db | Trx, voteId: string, userId: string) {
	return db.selectFrom('encrypted_ballots').select('tracker').where('vote_id', '=', voteId).where('user_id', '=', userId).executeTakeFirst();
}

export async function castEncryptedBallot(db: Db, input: EncryptedCastInput): Promise<{ accepted: true; receipt: string }> {
	const vote = await encryptedVote(db, input.voteId);
	const previous = await trackerOfVoter(db, vote.id, input.userId);
	if (previous && previous.tracker === trackerOf(vote.id, input.ballot)) return { accepted: true, receipt: previous.tracker };
	// The rules first, read without the lock: an outsider or a closed vote costs no proof check.
	await assertRules(db, vote, input.userId, !!previous);
	const check = await runSecretJob('verifyBallot', {
		ballot: input.ballot,
		ctx: {
			...vote.spec,
			publicKey: vote.public_key,
			voteId: vote.id,
			voterId: input.userId
		}
	});
	if (!check.ok) {
		throw new AppError('BAD_REQUEST', `secretBallot.ballot.${check.reason}`, check.option === undefined ? undefined : { option: check.option + 1 });
	}
	const tracker = check.tracker;
	return db.transaction().execute(async (trx) => {
		await lockedSitting(trx, vote.sitting_id);
		const now = await trx
			.selectFrom('votes')
			.select(['id', 'sitting_id', 'council_id', 'status', 'closes_at', 'ballots_cast'])
			.where('id', '=', vote.id)
			.executeTakeFirstOrThrow();
		const mine = await trackerOfVoter(trx, vote.id, input.userId);
		if (mine && mine.tracker === tracker) return { accepted: true as const, receipt: tracker };
		await assertRules(trx, now, input.userId, !!mine);
		const replay = await trx.selectFrom('encrypted_ballots').select('user_id').where('vote_id', '=', vote.id).where('tracker', '=', tracker).executeTakeFirst();
		if (replay) throw new AppError('CONFLICT', 'secretBallot.replayed');
		// The ballot as checked: its fields only, nothing else the client may have added.
		const b = input.ballot as Record<string, unknown>;
		const stored = {
			v: b.v,
			voteId: b.voteId,
			voterId: b.voterId,
			publicKey: b.publicKey,
			options: b.options,
			sum: b.sum
		};
		await trx
			.insertInto('encrypted_ballots')
			.values({
				vote_id: vote.id,
				user_id: input.userId,
				tracker,
				ballot: JSON.stringify(stored)
			})
			.execute();
		const voted = now.ballots_cast + 1;
		await trx.updateTable('votes').set({ ballots_cast: voted }).where('id', '=', vote.id).execute();
		const present = await presentCount(trx, vote.sitting_id, vote.council_id);
		await appendEvent(trx, vote.sitting_id, 'vote.ballot', ballotEvent({ id: vote.id, present }, voted));
		return { accepted: true as const, receipt: tracker };
	});
}
