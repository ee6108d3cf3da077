import { DomainError, isDomainError, type DomainErrorCode } from './errors';
import { MAX_COUNT } from './integers';

// Validation at the door for every ballot kind. An invalid ballot is refused with a clear reason;
// it is never stored and never partly counted (the tallies re-validate what they count).

export type BallotKind = 'yes_no_abstain' | 'election' | 'confidence';
export type YesNoChoice = 'yes' | 'no' | 'abstain';
export type Candidate = { id: string; name: string };
export type ElectionSpec = { candidates: Candidate[]; maxChoices: number };
/** Ids of the chosen candidates, at most maxChoices, distinct; an empty ballot is a valid ballot. */
export type ElectionChoice = string[];
export type Rating = 'high' | 'confidence' | 'low';
export type ConfidenceSpec = { persons: Candidate[] };
/** personId → rating, one entry for every person on the list. */
export type ConfidenceChoice = Record<string, Rating>;

/**
 * The choices in ballot order. The order is also the encrypted ballot's option order (yes / no / abstain are
 * options 0 / 1 / 2; person p's level L is option 3p + L): the delegate's page and the count must read it here.
 */
export const YES_NO: readonly YesNoChoice[] = ['yes', 'no', 'abstain'];
export const RATINGS: readonly Rating[] = ['high', 'confidence', 'low'];

function assertPeopleList(list: unknown, field: string): asserts list is Candidate[] {
	const ok =
		Array.isArray(list) &&
		list.length > 0 &&
		list.every((p) => typeof p?.id === 'string' && p.id !== '' && typeof p?.name === 'string') &&
		new Set(list.map((p: Candidate) => p.id)).size === list.length;
	if (!ok) throw new DomainError('INVALID_BALLOT_SPEC', { field });
}

export function assertElectionSpec(spec: ElectionSpec): void {
	assertPeopleList(spec?.candidates, 'candidates');
	const k = spec.maxChoices;
	if (!Number.isInteger(k) || k < 1 || k > MAX_COUNT) {
		throw new DomainError('INVALID_BALLOT_SPEC', { field: 'maxChoices', value: String(k) });
	}
}

export function assertConfidenceSpec(spec: ConfidenceSpec): void {
	assertPeopleList(spec?.persons, 'persons');
}

/** Returns the chosen ids in ballot (candidate list) order, so a stored ballot does not keep click order. */
export function validateElectionChoice(spec: ElectionSpec, choice: unknown): ElectionChoice {
	assertElectionSpec(spec);
	if (!Array.isArray(choice) || !choice.every((id) => typeof id === 'string')) {
		throw new DomainError('INVALID_CHOICE');
	}
	const byId = new Map(spec.candidates.map((c, i) => [c.id, { c, i }]));
	const seen = new Set<string>();
	for (const id of choice as string[]) {
		const hit = byId.get(id);
		if (!hit) throw new DomainError('ELECTION_UNKNOWN_CANDIDATE');
		if (seen.has(id))
			throw new DomainError('ELECTION_DUPLICATE_CANDIDATE', { candidate: hit.c.name });
		seen.add(id);
	}
	if (seen.size > spec.maxChoices) {
		throw new DomainError('ELECTION_TOO_MANY_CHOICES', { max: spec.maxChoices, count: seen.size });
	}
	return spec.candidates.filter((c) => seen.has(c.id)).map((c) => c.id);
}

/** Every listed person rated exactly once with a known level; returns a fresh object in list order. */
export function validateConfidenceChoice(spec: ConfidenceSpec, choice: unknown): ConfidenceChoice {
	assertConfidenceSpec(spec);
	if (typeof choice !== 'object' || choice === null || Array.isArray(choice)) {
		throw new DomainError('INVALID_CHOICE');
	}
	const given = choice as Record<string, unknown>;
	const ids = new Set(spec.persons.map((p) => p.id));
	if (Object.keys(given).some((id) => !ids.has(id)))
		throw new DomainError('CONFIDENCE_UNKNOWN_PERSON');
	const out: ConfidenceChoice = {};
	for (const p of spec.persons) {
		if (!Object.hasOwn(given, p.id))
			throw new DomainError('CONFIDENCE_INCOMPLETE', { person: p.name });
		const r = given[p.id];
		if (typeof r !== 'string' || !RATINGS.includes(r as Rating)) {
			throw new DomainError('CONFIDENCE_INVALID_RATING', { person: p.name });
		}
		out[p.id] = r as Rating;
	}
	return out;
}

type SpecOf = { yes_no_abstain: undefined; election: ElectionSpec; confidence: ConfidenceSpec };
type ChoiceOf = {
	yes_no_abstain: YesNoChoice;
	election: ElectionChoice;
	confidence: ConfidenceChoice;
};

/**
 * The door for every ballot: returns the normalised choice or throws DomainError('INVALID_CHOICE').
 * The specific cause is kept in params.reason (an error code), so messageFor() can say what is wrong.
 */
export function validateChoice<K extends BallotKind>(
	kind: K,
	spec: SpecOf[K],
	choice: unknown
): ChoiceOf[K] {
	try {
		switch (kind) {
			case 'yes_no_abstain':
				if (typeof choice === 'string' && YES_NO.includes(choice as YesNoChoice)) return choice as ChoiceOf[K];
				throw new DomainError('INVALID_CHOICE');
			case 'election':
				return validateElectionChoice(spec as ElectionSpec, choice) as ChoiceOf[K];
			case 'confidence':
				return validateConfidenceChoice(spec as ConfidenceSpec, choice) as ChoiceOf[K];
			default:
				throw new DomainError('INVALID_CHOICE');
		}
	} catch (e) {
		if (!isDomainError(e) || e.code === 'INVALID_CHOICE' || e.code === 'INVALID_BALLOT_SPEC')
			throw e;
		const reason: DomainErrorCode = e.code;
		throw new DomainError('INVALID_CHOICE', { ...e.params, reason });
	}
}
