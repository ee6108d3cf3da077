/**
 * What a secret ballot may say: m options, each 0 or 1, split into `groups` equal consecutive groups (1 by default),
 * and between `min` and `max` options chosen in each group.
 * - yes / no / abstain: 3 options, exactly 1 (the default min = max = 1);
 * - an election of up to k among m candidates: m options, min 0 (or 1), max k;
 * - a confidence rating of P persons (high / medium / low each): 3·P options in P groups of 3, exactly 1 per group —
 *   person p's level L is option 3p + L. The sums are option-wise, so each person's three counts come out alone.
 * Limits keep a verifier's work bounded whatever a client sends.
 */
import { MAX_RANGE } from './range-proof';

export interface BallotSpec {
	options: number;
	min?: number;
	max?: number;
	groups?: number;
}

export interface Spec {
	options: number;
	min: number;
	max: number;
	groups: number;
}

/** Options of one group: a range proof's range is at most this wide. */
export const MAX_GROUP = MAX_RANGE;
/** Options of a whole ballot (a confidence rating of up to 64 persons). */
export const MAX_OPTIONS = 3 * MAX_RANGE;
/** Ids are bound into every proof; anything longer than this is refused before hashing. */
export const MAX_ID_LENGTH = 200;

/** The spec with defaults filled in, or null when it is not a valid spec. */
export function normaliseSpec(spec: BallotSpec): Spec | null {
	const options = spec.options;
	const min = spec.min ?? 1;
	const max = spec.max ?? 1;
	const groups = spec.groups ?? 1;
	const int = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n);
	if (!int(options) || !int(min) || !int(max) || !int(groups)) return null;
	if (options < 1 || options > MAX_OPTIONS || groups < 1 || options % groups !== 0) return null;
	const size = options / groups;
	if (size > MAX_GROUP || min < 0 || max < min || max > size) return null;
	return { options, min, max, groups };
}

/** Options per group. */
export const groupSize = (spec: Spec) => spec.options / spec.groups;

export function isId(value: unknown): value is string {
	return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

/** The 0/1 vector for a choice (one index) or choices (several), or null when the spec does not allow it. */
export function choiceVector(spec: Spec, choice: number | readonly number[]): number[] | null {
	const picked = typeof choice === 'number' ? [choice] : [...choice];
	const vector = new Array<number>(spec.options).fill(0);
	for (const i of picked) {
		if (!Number.isSafeInteger(i) || i < 0 || i >= spec.options || vector[i] === 1) return null;
		vector[i] = 1;
	}
	const size = groupSize(spec);
	for (let g = 0; g < spec.groups; g++) {
		const chosen = vector.slice(g * size, (g + 1) * size).reduce((s, m) => s + m, 0);
		if (chosen < spec.min || chosen > spec.max) return null;
	}
	return vector;
}
