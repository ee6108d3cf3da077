import { describe, expect, it } from 'vitest';
import { ballotsFromCounts, cryptoSpec, resultFromCounts } from './vote-spec';

const election = {
	candidates: ['a', 'b', 'c', 'd'].map((id) => ({
		id,
		name: id.toUpperCase()
	})),
	maxChoices: 2
};

describe('encrypted vote spec', () => {
	it('maps the ballot types to crypto specs', () => {
		expect(cryptoSpec('yes_no_abstain', null)).toEqual({
			options: 3,
			min: 1,
			max: 1
		});
		expect(cryptoSpec('election', election)).toEqual({
			options: 4,
			min: 0,
			max: 2
		});
	});

	it('rebuilds yes/no ballots from counts, and the tally from them', () => {
		expect(ballotsFromCounts('yes_no_abstain', null, [2, 1, 1], 4)).toEqual(['yes', 'yes', 'no', 'abstain']);
		const r = resultFromCounts('yes_no_abstain', null, [16, 4, 10], 30, 30, 30, { kind: 'majority' });
		expect(r).toMatchObject({
			yes: 16,
			no: 4,
			abstain: 10,
			cast: 30,
			passed: true
		});
	});

	it('spreads election totals over the ballots without a candidate twice on a ballot or a ballot above k', () => {
		const ballots = ballotsFromCounts('election', election, [3, 3, 2, 0], 4) as string[][];
		expect(ballots).toHaveLength(4);
		for (const b of ballots) {
			expect(new Set(b).size).toBe(b.length);
			expect(b.length).toBeLessThanOrEqual(2);
		}
		const r = resultFromCounts('election', election, [3, 3, 2, 0], 4, 5, 5, {
			kind: 'majority'
		});
		expect(r).toMatchObject({ cast: 4, elected: ['a', 'b'] });
	});
});
