import { RATINGS, YES_NO, type Rating, type YesNoChoice } from '$lib/domain/ballot';
import type { OpenVote } from '../../types';

/**
 * What the delegate's page encrypts for a choice on an encrypted secret vote: the crypto spec and the option
 * indices, in the order the server's spec gives them (server/secret-ballot/vote-spec.ts; both take the orders from
 * domain/ballot.ts): yes / no / abstain are options 0 / 1 / 2, exactly one chosen; an election's candidates in list
 * order, 0 to maxChoices chosen; a confidence rating of P persons is 3·P options in P groups of 3, exactly one per group —
 * person p (in list order) rated level L (high / confidence / low = 0 / 1 / 2) is option 3p + L. Null for a choice
 * the vote does not allow (the page never offers one), and for a confidence rating that leaves a person unrated.
 */
export type EncryptedChoice = { options: number; min: number; max: number; groups?: number } & ({ choice: number } | { choices: number[] });


export function encryptedChoice(
	vote: Pick<OpenVote, 'ballotType' | 'options'>,
	picked: { yesNo?: string | null; chosen?: readonly string[]; ratings?: Readonly<Record<string, Rating>> }
): EncryptedChoice | null {
	if (vote.ballotType === 'election') {
		const options = vote.options && 'candidates' in vote.options ? vote.options : null;
		if (!options) return null;
		const ids = options.candidates.map((c) => c.id);
		const choices = (picked.chosen ?? []).map((id) => ids.indexOf(id));
		if (choices.some((i) => i < 0) || new Set(choices).size !== choices.length || choices.length > options.maxChoices) return null;
		return { options: ids.length, min: 0, max: options.maxChoices, choices: choices.sort((a, b) => a - b) };
	}
	if (vote.ballotType === 'confidence') {
		const persons = vote.options && 'persons' in vote.options ? vote.options.persons : null;
		if (!persons?.length) return null;
		const ratings = picked.ratings ?? {};
		const ids = persons.map((p) => p.id);
		if (Object.keys(ratings).some((id) => !ids.includes(id))) return null;
		const choices = ids.map((id, p) => 3 * p + RATINGS.indexOf(ratings[id]));
		if (choices.some((c, p) => c < 3 * p)) return null;
		return { options: 3 * ids.length, groups: ids.length, min: 1, max: 1, choices };
	}
	if (vote.ballotType !== 'yes_no_abstain') return null;
	const choice = YES_NO.indexOf(picked.yesNo as YesNoChoice);
	return choice < 0 ? null : { options: 3, min: 1, max: 1, choice };
}
