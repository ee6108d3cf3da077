/**
 * What a secret ballot may say: m options, each 0 or 1, and between `min` and `max` of them chosen.
 * - yes / no / abstain: 3 options, exactly 1 (the default min = max = 1);
 * - an election of up to k among m candidates: m options, min 0 (or 1), max k;
 * - a confidence rating of one person (high / medium / low): 3 options, exactly 1 — a rating of several people is
 *   one such ballot per person, each with its own vote id (e.g. `${voteId}:${personId}`), so each is tallied alone.
 * Limits keep a verifier's work bounded whatever a client sends.
 */
import { MAX_RANGE } from './range-proof';

export interface BallotSpec {
	options: number;
	min?: number;
	max?: number;
}

export interface Spec {
	options: number;
	min: number;
	max: number;
}

export const MAX_OPTIONS = MAX_RANGE;
/** Ids are bound into every proof; anything longer than this is refused before hashing. */
export const MAX_ID_LENGTH = 200;

/** The spec with defaults filled in, or null when it is not a valid spec. */
export function normaliseSpec(spec: BallotSpec): Spec | null {
	const options = spec.options;
	const min = spec.min ?? 1;
	const max = spec.max ?? 1;
	const int = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n);
	if (!int(options) || !int(min) || !int(max)) return null;
	if (options < 1 || options > MAX_OPTIONS || min < 0 || max < min || max > options) return null;
	return { options, min, max };
}

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
	if (picked.length < spec.min || picked.length > spec.max) return null;
	return vector;
}
