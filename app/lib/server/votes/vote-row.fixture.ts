import type { Selectable } from 'kysely';
import type { VotesTable } from '../../../../db/schema.js';

/** For unit tests: a stored open yes/no/abstain vote of sitting-1 under the majority rule, without a time limit. */
export function openVoteRow(overrides: Partial<Selectable<VotesTable>> = {}): Selectable<VotesTable> {
	return {
		id: 'vote-a',
		sitting_id: 'sitting-1',
		item_id: 'item',
		council_id: 'council',
		question: 'Thông qua?',
		kind: 'open',
		ballot_type: 'yes_no_abstain',
		options: null,
		rule: 'majority',
		allow_change: false,
		status: 'open',
		void_reason: null,
		opened_by: 'chair',
		opened_at: new Date('2026-12-06T08:00:00.000Z'),
		closes_at: null,
		closed_at: null,
		ballots_cast: 0,
		result: null,
		...overrides
	};
}
