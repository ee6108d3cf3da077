import { describe, expect, it } from 'vitest';
import { choiceVector, normaliseSpec } from '$lib/secret-ballot/spec';
import { encryptedChoice } from './encrypted-choice';

const election = {
	ballotType: 'election' as const,
	options: { candidates: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }], maxChoices: 2 }
};

const confidence = {
	ballotType: 'confidence' as const,
	options: { persons: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }] }
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

	it('maps a confidence rating of P persons to 3P options in P groups, person p’s level L as option 3p + L', () => {
		expect(encryptedChoice(confidence, { ratings: { a: 'high', b: 'low', c: 'confidence' } })).toEqual({
			options: 9,
			groups: 3,
			min: 1,
			max: 1,
			choices: [0, 5, 7]
		});
		// in the persons' order, whatever the order the ratings were given in
		expect(encryptedChoice(confidence, { ratings: { c: 'low', b: 'high', a: 'low' } })).toMatchObject({ choices: [2, 3, 8] });
	});

	it('gives a spec and choices the crypto core accepts (one level per person)', () => {
		const c = encryptedChoice(confidence, { ratings: { a: 'low', b: 'confidence', c: 'high' } });
		if (!c || !('choices' in c)) throw new Error('no choices');
		const spec = normaliseSpec(c);
		expect(spec).toEqual({ options: 9, min: 1, max: 1, groups: 3 });
		expect(spec && choiceVector(spec, c.choices)).toEqual([0, 0, 1, 0, 1, 0, 1, 0, 0]);
	});

	it('encrypts no confidence rating unless every person is rated with a known level', () => {
		expect(encryptedChoice(confidence, {})).toBeNull();
		expect(encryptedChoice(confidence, { ratings: {} })).toBeNull();
		expect(encryptedChoice(confidence, { ratings: { a: 'high', b: 'low' } })).toBeNull();
		expect(encryptedChoice(confidence, { ratings: { a: 'high', b: 'low', c: 'medium' as 'low' } })).toBeNull();
		expect(encryptedChoice(confidence, { ratings: { a: 'high', b: 'low', c: 'low', x: 'high' } })).toBeNull();
		expect(encryptedChoice({ ballotType: 'confidence', options: { persons: [] } }, { ratings: {} })).toBeNull();
		expect(encryptedChoice({ ballotType: 'confidence', options: null }, { ratings: { a: 'high' } })).toBeNull();
	});
});
