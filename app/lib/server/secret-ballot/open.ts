/**
 * Opening a prepared encrypted secret vote: the same rules as any vote (a sitting in progress, a quorum, one vote
 * at a time: `assertCanOpen`), the same `vote.opened` event, and a `votes` row whose id is the setup's — the id
 * the committee's proofs and every ballot's proofs bind. No plaintext ballot box is created.
 *
 * Switch-over: `openVote` (votes/open-vote.ts) takes this path for `kind: 'secret'` by calling
 * `openEncryptedVote` with the setup's id instead of inserting its own row.
 */
import type { Db } from '../../../../db/client.js';
import type { PassRule } from '../../domain/pass-rule';
import { ruleLabelKey } from '../../domain/pass-rule';
import { assertCanOpen } from '../../domain/vote-lifecycle';
import { AppError } from '../errors';
import { noticeVoteOpened } from '../notifications/sitting-notices';
import { appendEvent } from '../sittings/events';
import { lockedSitting } from '../sittings/service';
import { councilQuorum } from '../sittings/state';
import { loadSetup } from './ceremony';

export function openEncryptedVote(db: Db, input: { setupId: string; openedBy: string }) {
	return db.transaction().execute(async (trx) => {
		const peek = await loadSetup(trx, input.setupId);
		// The sitting's lock first, as every writer of a sitting takes it, then the setup's row.
		const sitting = await lockedSitting(trx, peek.sitting_id);
		const setup = await loadSetup(trx, input.setupId, true);
		if (setup.phase !== 'ready' || !setup.public_key) throw new AppError('PRECONDITION_FAILED', 'secretBallot.notReady');
		const quorum = await councilQuorum(trx, sitting.council_id, sitting.id);
		const another = await trx.selectFrom('votes').select('id').where('sitting_id', '=', sitting.id).where('status', '=', 'open').executeTakeFirst();
		assertCanOpen({
			sittingStatus: sitting.status,
			quorum,
			anotherVoteOpen: !!another
		});
		const rule = setup.rule as PassRule;
		const openedAt = new Date();
		const closesAt = setup.duration_sec ? new Date(openedAt.getTime() + setup.duration_sec * 1000) : null;
		await trx
			.insertInto('votes')
			.values({
				id: setup.id,
				sitting_id: sitting.id,
				item_id: setup.item_id,
				council_id: sitting.council_id,
				question: setup.question,
				kind: 'secret',
				ballot_type: setup.ballot_type,
				options: setup.options === null ? null : JSON.stringify(setup.options),
				rule: JSON.stringify(rule),
				// Nothing to replace: a ballot is final (and a second one would be a second ciphertext to link).
				allow_change: false,
				void_reason: null,
				opened_by: input.openedBy,
				opened_at: openedAt,
				closes_at: closesAt,
				closed_at: null,
				result: null
			})
			.execute();
		await trx.updateTable('secret_vote_setups').set({ phase: 'opened', vote_id: setup.id }).where('id', '=', setup.id).execute();
		await appendEvent(trx, sitting.id, 'vote.opened', {
			voteId: setup.id,
			itemId: setup.item_id,
			question: setup.question,
			kind: 'secret',
			ballotType: setup.ballot_type,
			options: setup.options,
			rule,
			ruleLabel: ruleLabelKey(rule, quorum.seated),
			allowChange: false,
			closesAt: closesAt?.toISOString() ?? null,
			seated: quorum.seated,
			present: quorum.present,
			voted: 0,
			// What the delegate's page encrypts to (and checks against the setup the committee saw).
			encrypted: {
				publicKey: setup.public_key,
				threshold: setup.threshold,
				members: setup.members
			}
		});
		await noticeVoteOpened(trx, sitting, setup.question);
		return { voteId: setup.id };
	});
}
