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
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { ElectionSpec } from '../../domain/ballot';
import { assertCanCast } from '../../domain/vote-lifecycle';
import { ballotTracker } from '../../secret-ballot/ballot';
import { AppError } from '../errors';
import { appendEvent, type Trx } from '../sittings/events';
import { lockedSitting } from '../sittings/service';
import { checkedInQuery, delegateQuery, presentQuery } from '../sittings/state';
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

type EncryptedVote = Awaited<ReturnType<typeof encryptedVote>>;

/**
 * Everything the rules decide a cast on, in one statement: the vote's state, whether the user is an active
 * delegate of its council and checked in to its sitting, the tracker of the ballot the user already cast, who holds
 * the checked ballot's tracker (once there is one: under the lock) and the sitting's present count (for the event).
 */
function castFacts(db: Db | Trx, vote: EncryptedVote, userId: string, tracker: string | null) {
	return db
		.selectFrom('votes as v')
		.select(['v.status', 'v.closes_at', 'v.ballots_cast'])
		.select((eb) => [
			eb.selectFrom('encrypted_ballots').select('tracker').where('vote_id', '=', vote.id).where('user_id', '=', userId).as('mine'),
			eb.exists(delegateQuery(db, vote.council_id, userId)).as('is_delegate'),
			eb.exists(checkedInQuery(db, vote.sitting_id, userId)).as('checked_in'),
			tracker === null ? sql<string | null>`null`.as('holder') : eb.selectFrom('encrypted_ballots').select('user_id').where('vote_id', '=', vote.id).where('tracker', '=', tracker).as('holder'),
			eb.selectFrom(presentQuery(db, vote.sitting_id, vote.council_id).as('p')).select('p.n').as('present')
		])
		.where('v.id', '=', vote.id)
		.executeTakeFirstOrThrow();
}

function assertRules(facts: Awaited<ReturnType<typeof castFacts>>) {
	assertCanCast({
		voteStatus: expired(facts) ? 'closed' : (facts.status as 'open' | 'closed' | 'void'),
		isDelegateOfCouncil: !!facts.is_delegate,
		checkedIn: !!facts.checked_in,
		alreadyVoted: !!facts.mine,
		allowChange: false
	});
}

export async function castEncryptedBallot(db: Db, input: EncryptedCastInput): Promise<{ accepted: true; receipt: string }> {
	const vote = await encryptedVote(db, input.voteId);
	const before = await castFacts(db, vote, input.userId, null);
	if (before.mine && before.mine === trackerOf(vote.id, input.ballot)) return { accepted: true, receipt: before.mine };
	// The rules first, read without the lock: an outsider or a closed vote costs no proof check.
	assertRules(before);
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
		const head = await lockedSitting(trx, vote.sitting_id);
		const now = await castFacts(trx, vote, input.userId, tracker);
		if (now.mine === tracker) return { accepted: true as const, receipt: tracker };
		assertRules(now);
		if (now.holder) throw new AppError('CONFLICT', 'secretBallot.replayed');
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
		const voted = now.ballots_cast + 1;
		// One statement: PostgreSQL runs a data-modifying WITH whether or not the outer statement reads it.
		await trx
			.with('stored', (w) =>
				w
					.insertInto('encrypted_ballots')
					.values({
						vote_id: vote.id,
						user_id: input.userId,
						tracker,
						ballot: JSON.stringify(stored)
					})
					.returning('vote_id')
			)
			.updateTable('votes')
			.set({ ballots_cast: voted })
			.where('id', '=', vote.id)
			.execute();
		await appendEvent(trx, vote.sitting_id, 'vote.ballot', ballotEvent({ id: vote.id, present: now.present ?? 0 }, voted), { head });
		return { accepted: true as const, receipt: tracker };
	});
}
