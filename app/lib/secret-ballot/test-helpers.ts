/**
 * Fixtures for the tests and the benchmark: a whole committee run in one process (in production each member runs
 * its part in its own browser), and a board for a vote.
 */
import { encryptBallot } from './ballot';
import {
	type Dealing,
	type MemberSecret,
	combineShares,
	committeeParams,
	createDealing,
	jointPublicKey
} from './committee';
import type { BallotSpec } from './spec';
import { aggregateBallots, combinePartials, checkPartial, partialDecrypt } from './tally';
import type { TallyBoard } from './verify-tally';
import { verificationKey } from './committee';

export function makeCommittee(voteId: string, threshold = 2, members = 3) {
	const params = committeeParams(voteId, threshold, members);
	const dealt = Array.from({ length: members }, (_, i) => createDealing(params, i + 1));
	const dealings: Dealing[] = dealt.map((d) => d.dealing);
	const secrets: MemberSecret[] = dealt.map((_, j) =>
		combineShares(
			params,
			j + 1,
			dealings,
			dealt.map((d) => ({ from: d.dealing.index, share: d.shares[j].share }))
		)
	);
	return {
		params,
		dealings,
		secrets,
		publicKey: jointPublicKey(params, dealings)
	};
}

/** A complete, valid board: `choices[i]` is voter i's choice (an index or a list of indices). */
export function makeBoard(voteId: string, spec: BallotSpec, choices: (number | number[])[]): TallyBoard {
	const committee = makeCommittee(voteId);
	const ballots = choices.map((choice, i) => {
		const voterId = `delegate-${i + 1}`;
		const { ballot } = encryptBallot({
			...spec,
			publicKey: committee.publicKey,
			voteId,
			voterId,
			...(typeof choice === 'number' ? { choice } : { choices: choice })
		});
		return { voterId, ballot };
	});
	const sums = aggregateBallots(
		ballots.map((b) => b.ballot),
		spec.options
	);
	const partials = committee.secrets.slice(0, 2).map((s) => partialDecrypt(s, sums));
	const ctx = { voteId, publicKey: committee.publicKey };
	const checked = partials.map((p) => ({
		index: p.index,
		shares: checkPartial(p, sums, verificationKey(committee.params, committee.dealings, p.index), ctx)!
	}));
	return {
		voteId,
		spec,
		committee: { threshold: 2, members: 3, dealings: committee.dealings },
		publicKey: committee.publicKey,
		ballots,
		sums,
		partials,
		counts: combinePartials(sums, checked, 2, ballots.length)
	};
}
