import { describe, expect, it } from 'vitest';
import { encryptedChoice } from './encrypted-choice';

const election = {
	ballotType: 'election' as const,
	options: { candidates: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }], maxChoices: 2 }
};

describe('encryptedChoice', () => {
	it('maps yes / no / abstain to options 0 / 1 / 2, exactly one chosen', () => {
		const vote = { ballotType: 'yes_no_abstain' as const, options: null };
		expect(encryptedChoice(vote, { yesNo: 'yes' })).toEqual({ options: 3, min: 1, max: 1, choice: 0 });
		expect(encryptedChoice(vote, { yesNo: 'abstain' })).toEqual({ options: 3, min: 1, max: 1, choice: 2 });
		expect(encryptedChoice(vote, { yesNo: null })).toBeNull();
	});

	it('maps an election’s candidates in list order, 0 to k chosen', () => {
		expect(encryptedChoice(election, { chosen: ['c', 'a'] })).toEqual({ options: 3, min: 0, max: 2, choices: [0, 2] });
		expect(encryptedChoice(election, { chosen: [] })).toEqual({ options: 3, min: 0, max: 2, choices: [] });
		expect(encryptedChoice(election, { chosen: ['a', 'b', 'c'] })).toBeNull();
		expect(encryptedChoice(election, { chosen: ['x'] })).toBeNull();
	});

	it('offers no encrypted confidence rating (the server refuses to prepare one)', () => {
		expect(encryptedChoice({ ballotType: 'confidence', options: { persons: [] } }, {})).toBeNull();
	});
});
