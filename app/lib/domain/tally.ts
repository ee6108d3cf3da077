import {
	assertConfidenceSpec,
	assertElectionSpec,
	validateConfidenceChoice,
	validateElectionChoice,
	type Candidate,
	type ConfidenceChoice,
	type ConfidenceSpec,
	type ElectionChoice,
	type ElectionSpec,
	type YesNoChoice
} from './ballot';
import { DomainError } from './errors';
import { assertCount, floorDiv } from './integers';
import {
	DEFAULT_PASS_RULE,
	passes,
	requiredYes,
	ruleLabelKey,
	type PassRule,
	type RuleLabel
} from './pass-rule';

// Every share below is of ALL SEATED delegates (docs/domain.md, "Legal sources": the law counts votes
// against all seated delegates, never those present). Every ballot is validated again here: an invalid one
// throws, it is never partly counted.

function assertSeatedPresent(seated: number, present: number, cast: number): void {
	assertCount('seated', seated);
	assertCount('present', present);
	if (seated === 0) throw new DomainError('INVALID_NUMBER', { field: 'seated', value: '0' });
	if (present > seated) throw new DomainError('PRESENT_EXCEEDS_SEATED', { present, seated });
	if (cast > present) throw new DomainError('BALLOTS_EXCEED_PRESENT', { cast, present });
}

export type YesNoTally = {
	yes: number;
	no: number;
	abstain: number;
	cast: number;
	/** Seated delegates who cast no ballot: absent, or present and silent. Never counted as yes. */
	notVoted: number;
	seated: number;
	present: number;
	rule: PassRule;
	requiredYes: number;
	passed: boolean;
	ruleLabel: RuleLabel;
};

export function tallyYesNo(
	choices: readonly YesNoChoice[],
	seated: number,
	present: number,
	rule: PassRule = DEFAULT_PASS_RULE
): YesNoTally {
	assertSeatedPresent(seated, present, choices.length);
	let yes = 0;
	let no = 0;
	let abstain = 0;
	for (const c of choices) {
		if (c === 'yes') yes++;
		else if (c === 'no') no++;
		else if (c === 'abstain') abstain++;
		else throw new DomainError('INVALID_CHOICE');
	}
	const cast = choices.length;
	return {
		yes,
		no,
		abstain,
		cast,
		notVoted: seated - cast,
		seated,
		present,
		rule,
		requiredYes: requiredYes(rule, seated),
		passed: passes(rule, yes, seated),
		ruleLabel: ruleLabelKey(rule, seated)
	};
}

export type CandidateResult = Candidate & {
	votes: number;
	/** Reached the rule's threshold of seated delegates. */
	reachedThreshold: boolean;
	elected: boolean;
	/** Reached the threshold but tied across the last seat: neither elected nor out; a new round decides. */
	tieUnresolved: boolean;
};

export type ElectionTally = {
	/** Most votes first; equal votes keep the ballot's candidate order. */
	candidates: CandidateResult[];
	elected: string[];
	tieUnresolved: string[];
	maxChoices: number;
	/** Seats still to fill in a further round (too few reached the threshold, or a tie). */
	seatsUnfilled: number;
	cast: number;
	notVoted: number;
	seated: number;
	present: number;
	rule: PassRule;
	requiredVotes: number;
	ruleLabel: RuleLabel;
};

/**
 * A candidate is elected when their votes pass `rule` against all seated delegates (default: more than
 * half), at most maxChoices of them, most votes first. If candidates who reached the threshold tie across
 * the last seat, none of the tied is elected: the law gives no tie-break, so a new round is needed.
 */
export function tallyElection(
	ballots: readonly ElectionChoice[],
	seated: number,
	present: number,
	spec: ElectionSpec,
	rule: PassRule = DEFAULT_PASS_RULE
): ElectionTally {
	assertElectionSpec(spec);
	assertSeatedPresent(seated, present, ballots.length);
	const votes = new Map(spec.candidates.map((c) => [c.id, 0]));
	for (const b of ballots) {
		for (const id of validateElectionChoice(spec, b)) votes.set(id, (votes.get(id) ?? 0) + 1);
	}
	const rows = spec.candidates
		.map((c) => ({ ...c, votes: votes.get(c.id) ?? 0 }))
		.map((c) => ({
			...c,
			reachedThreshold: passes(rule, c.votes, seated),
			elected: false,
			tieUnresolved: false
		}))
		.sort((a, b) => b.votes - a.votes); // Array.prototype.sort is stable: ties keep ballot order.

	const k = spec.maxChoices;
	const qualified = rows.filter((r) => r.reachedThreshold);
	if (qualified.length <= k) {
		for (const r of qualified) r.elected = true;
	} else {
		const cutoff = qualified[k - 1].votes;
		const tiedAcrossLastSeat = qualified[k].votes === cutoff;
		for (const r of qualified) {
			if (r.votes > cutoff || (r.votes === cutoff && !tiedAcrossLastSeat)) r.elected = true;
			else if (r.votes === cutoff) r.tieUnresolved = true;
		}
	}
	const elected = rows.filter((r) => r.elected).map((r) => r.id);
	return {
		candidates: rows,
		elected,
		tieUnresolved: rows.filter((r) => r.tieUnresolved).map((r) => r.id),
		maxChoices: k,
		seatsUnfilled: k - elected.length,
		cast: ballots.length,
		notVoted: seated - ballots.length,
		seated,
		present,
		rule,
		requiredVotes: requiredYes(rule, seated),
		ruleLabel: ruleLabelKey(rule, seated)
	};
}

/** An exact share of the seated delegates, num ≥ 0, den = seated, not reduced (12/30 reads next to the count). */
export type Share = { num: number; den: number };

/** count/seated as a percentage rounded half-up to 2 decimals, computed in integer hundredths. */
export function percentOf(count: number, seated: number): number {
	const hundredthsOfPercent = floorDiv(2 * count * 10_000 + seated, 2 * seated);
	return hundredthsOfPercent / 100;
}

export type RatingCount = { count: number; share: Share; percent: number };

export type PersonConfidence = Candidate & {
	high: RatingCount;
	confidence: RatingCount;
	low: RatingCount;
	/** More than half of ALL seated delegates rated "low" (legally relevant threshold). */
	lowOverHalf: boolean;
	/** At least two thirds of ALL seated delegates rated "low". */
	lowAtLeastTwoThirds: boolean;
};

export type ConfidenceTally = {
	persons: PersonConfidence[];
	cast: number;
	notVoted: number;
	seated: number;
	present: number;
};

export function tallyConfidence(
	ballots: readonly ConfidenceChoice[],
	seated: number,
	present: number,
	spec: ConfidenceSpec
): ConfidenceTally {
	assertConfidenceSpec(spec);
	assertSeatedPresent(seated, present, ballots.length);
	const counts = new Map(spec.persons.map((p) => [p.id, { high: 0, confidence: 0, low: 0 }]));
	for (const b of ballots) {
		for (const [id, r] of Object.entries(validateConfidenceChoice(spec, b))) counts.get(id)![r]++;
	}
	const rc = (count: number): RatingCount => ({
		count,
		share: { num: count, den: seated },
		percent: percentOf(count, seated)
	});
	return {
		persons: spec.persons.map((p) => {
			const c = counts.get(p.id)!;
			return {
				...p,
				high: rc(c.high),
				confidence: rc(c.confidence),
				low: rc(c.low),
				lowOverHalf: 2 * c.low > seated,
				lowAtLeastTwoThirds: 3 * c.low >= 2 * seated
			};
		}),
		cast: ballots.length,
		notVoted: seated - ballots.length,
		seated,
		present
	};
}
