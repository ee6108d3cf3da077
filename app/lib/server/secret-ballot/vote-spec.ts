/**
 * A council vote as the encrypted ballot sees it, and back: which option index means what (the crypto spec), and
 * the counts read from the committee's decryption of the sums turned into the same result the plaintext path
 * gives, through the existing pure tallies (domain/tally.ts) — so quorum, thresholds and the pass rule are
 * decided once, in one place, whichever way the ballots were cast.
 *
 * yes / no / abstain: 3 options, exactly one chosen. An election of up to k among m candidates: m options, 0..k
 * chosen (an empty ballot is a valid ballot, as in domain/ballot.ts). A confidence rating of P persons: 3·P
 * options in P groups, exactly one level per person — person p's level L (RATINGS) is option 3p + L; the
 * orders are domain/ballot.ts's.
 */
import { RATINGS, YES_NO, type ConfidenceChoice, type ConfidenceSpec, type ElectionChoice, type ElectionSpec, type Rating, type YesNoChoice } from '../../domain/ballot';
import type { PassRule } from '../../domain/pass-rule';
import { tallyConfidence, tallyElection, tallyYesNo } from '../../domain/tally';
import type { BallotSpec } from '../../secret-ballot/spec';

export type EncryptedBallotType = 'yes_no_abstain' | 'election' | 'confidence';
export type EncryptedOptions = ElectionSpec | ConfidenceSpec | null;


/** The crypto spec of a vote: how many options, in how many groups, and how many may be chosen in each. */
export function cryptoSpec(type: EncryptedBallotType, options: EncryptedOptions): Required<BallotSpec> {
	if (type === 'election') {
		const spec = options as ElectionSpec;
		return { options: spec.candidates.length, min: 0, max: spec.maxChoices, groups: 1 };
	}
	if (type === 'confidence') {
		const persons = (options as ConfidenceSpec).persons.length;
		return { options: 3 * persons, min: 1, max: 1, groups: persons };
	}
	return { options: 3, min: 1, max: 1, groups: 1 };
}

/**
 * Ballots with the given per-option counts, for the tallies, which count ballots. A yes/no ballot is its one
 * choice. For an election only the per-candidate totals are known (that is the point); they are dealt round-robin
 * over `ballots` ballots, which keeps each candidate's votes on distinct ballots (a candidate has at most one vote
 * per ballot, so counts[i] ≤ ballots) and no ballot above ⌈Σ/ballots⌉ ≤ k choices: the tally reads only the totals
 * and the number of ballots, so any such spread gives it the same result. A confidence rating: every ballot rates
 * every person once, so each person's three counts add up to the ballots; ballot j takes person p's j-th level of
 * that person's counts laid end to end (the tally reads each person's counts only).
 */
export function ballotsFromCounts(
	type: EncryptedBallotType,
	options: EncryptedOptions,
	counts: readonly number[],
	ballots: number
): YesNoChoice[] | ElectionChoice[] | ConfidenceChoice[] {
	if (type === 'yes_no_abstain') return counts.flatMap((n, i) => Array<YesNoChoice>(n).fill(YES_NO[i]));
	if (type === 'confidence') {
		const persons = (options as ConfidenceSpec).persons;
		const levels = persons.map((_, p) => RATINGS.flatMap((r, l) => Array<Rating>(counts[3 * p + l]).fill(r)));
		return Array.from({ length: ballots }, (_, j) => Object.fromEntries(persons.map((person, p) => [person.id, levels[p][j]])));
	}
	const spec = options as ElectionSpec;
	const out: ElectionChoice[] = Array.from({ length: ballots }, () => []);
	let next = 0;
	counts.forEach((n, i) => {
		for (let v = 0; v < n; v++) out[next++ % ballots].push(spec.candidates[i].id);
	});
	return out;
}

/** The result of a counted vote, as the plaintext path's tallies give it. */
export function resultFromCounts(
	type: EncryptedBallotType,
	options: EncryptedOptions,
	counts: readonly number[],
	ballots: number,
	seated: number,
	present: number,
	rule: PassRule
) {
	const synthetic = ballotsFromCounts(type, options, counts, ballots);
	if (type === 'confidence') return tallyConfidence(synthetic as ConfidenceChoice[], seated, present, options as ConfidenceSpec);
	return type === 'election'
		? tallyElection(synthetic as ElectionChoice[], seated, present, options as ElectionSpec, rule)
		: tallyYesNo(synthetic as YesNoChoice[], seated, present, rule);
}
