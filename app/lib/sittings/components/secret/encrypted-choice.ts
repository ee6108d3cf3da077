import type { OpenVote } from '../../types';

/**
 * What the delegate's page encrypts for a choice on an encrypted secret vote: the crypto spec and the option
 * indices, in the order the server's spec gives them (server/secret-ballot/vote-spec.ts, which the browser cannot
 * import): yes / no / abstain are options 0 / 1 / 2, exactly one chosen; an election's candidates in list order,
 * 0 to maxChoices chosen. Null for a choice the vote does not allow (the page never offers one).
 */
export type EncryptedChoice = { options: number; min: number; max: number } & ({ choice: number } | { choices: number[] });

const YES_NO = ['yes', 'no', 'abstain'] as const;

export function encryptedChoice(vote: Pick<OpenVote, 'ballotType' | 'options'>, picked: { yesNo?: string | null; chosen?: readonly string[] }): EncryptedChoice | null {
	if (vote.ballotType === 'election') {
		const options = vote.options && 'candidates' in vote.options ? vote.options : null;
		if (!options) return null;
		const ids = options.candidates.map((c) => c.id);
		const choices = (picked.chosen ?? []).map((id) => ids.indexOf(id));
		if (choices.some((i) => i < 0) || new Set(choices).size !== choices.length || choices.length > options.maxChoices) return null;
		return { options: ids.length, min: 0, max: options.maxChoices, choices: choices.sort((a, b) => a - b) };
	}
	if (vote.ballotType !== 'yes_no_abstain') return null;
	const choice = YES_NO.indexOf(picked.yesNo as (typeof YES_NO)[number]);
	return choice < 0 ? null : { options: 3, min: 1, max: 1, choice };
}
