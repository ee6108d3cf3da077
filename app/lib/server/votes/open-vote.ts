import type { Db } from '../../../../db/client.js';
import type { VoteKind } from '../../../../db/schema.js';
import { assertCanOpen } from '../../domain/vote-lifecycle';
import { ruleLabelKey } from '../../domain/pass-rule';
import { AppError } from '../errors';
import { noticeVoteOpened } from '../notifications/sitting-notices';
import { appendEvent } from '../sittings/events';
import { lockedSitting } from '../sittings/service';
import { councilQuorum } from '../sittings/state';
import { assertOptions, ballotTypeOf, resolveRule, type RuleInput } from './spec';

export interface OpenVoteInput {
	sittingId: string;
	itemId: string;
	question: string;
	kind: VoteKind;
	rule: RuleInput;
	options?: unknown;
	durationSec?: number;
	openedBy: string;
}

/** The chair opens a vote on an agenda item: in a sitting in progress, with a quorum, one at a time. */
export function openVote(db: Db, input: OpenVoteInput) {
	// A secret vote is prepared with its counting committee and opened on the key its members made
	// (secretBallot.prepare → secretBallot.open): there is no other secret ballot.
	if (input.kind === 'secret') throw new AppError('BAD_REQUEST', 'vote.secretNeedsCommittee');
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		// The council's rules and the two facts about the sitting in one read: the sitting is locked meanwhile, and
		// at a city-wide vote 168 openings come at once.
		const council = await trx
			.selectFrom('councils')
			.select((eb) => [
				'custom_rule_num',
				'custom_rule_den',
				'allow_vote_change',
				eb.exists(eb.selectFrom('agenda_items').select('id').where('id', '=', input.itemId).where('sitting_id', '=', input.sittingId)).as('itemInSitting'),
				eb.exists(eb.selectFrom('votes').select('id').where('sitting_id', '=', input.sittingId).where('status', '=', 'open')).as('anotherVoteOpen')
			])
			.where('id', '=', sitting.council_id)
			.executeTakeFirstOrThrow();
		if (!council.itemInSitting) throw new AppError('BAD_REQUEST', 'sitting.itemNotInSitting');
		const quorum = await councilQuorum(trx, sitting.council_id, input.sittingId);
		assertCanOpen({ sittingStatus: sitting.status, quorum, anotherVoteOpen: !!council.anotherVoteOpen });
		const rule = resolveRule(input.rule, council);
		const ballotType = ballotTypeOf(input.options);
		const options = assertOptions(ballotType, input.options);
		const openedAt = new Date();
		const closesAt = input.durationSec ? new Date(openedAt.getTime() + input.durationSec * 1000) : null;
		const allowChange = council.allow_vote_change;
		const vote = await trx
			.insertInto('votes')
			.values({
				sitting_id: input.sittingId,
				item_id: input.itemId,
				council_id: sitting.council_id,
				question: input.question,
				kind: input.kind,
				ballot_type: ballotType,
				options: options ? JSON.stringify(options) : null,
				rule: JSON.stringify(rule),
				allow_change: allowChange,
				void_reason: null,
				opened_by: input.openedBy,
				opened_at: openedAt,
				closes_at: closesAt,
				closed_at: null,
				result: null
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		await appendEvent(trx, input.sittingId, 'vote.opened', {
			voteId: vote.id,
			itemId: input.itemId,
			question: input.question,
			kind: input.kind,
			ballotType,
			options,
			rule,
			ruleLabel: ruleLabelKey(rule, quorum.seated),
			allowChange,
			closesAt: closesAt?.toISOString() ?? null,
			seated: quorum.seated,
			present: quorum.present,
			voted: 0
		}, { head: sitting });
		await noticeVoteOpened(trx, sitting, input.question);
		return { voteId: vote.id };
	});
}
