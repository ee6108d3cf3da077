import { describe, expect, it } from 'vitest';
import { ballotsFromCounts, cryptoSpec, resultFromCounts } from './vote-spec';

const election = {
	candidates: ['a', 'b', 'c', 'd'].map((id) => ({
		id,
		name: id.toUpperCase()
	})),
	maxChoices: 2
};

const confidence = { persons: [{ id: 'p1', name: 'Nguyễn Văn A' }, { id: 'p2', name: 'Trần Thị B' }] };

describe('encrypted vote spec', () => {
	it('maps the ballot types to crypto specs', () => {
		expect(cryptoSpec('yes_no_abstain', null)).toEqual({ options: 3, min: 1, max: 1, groups: 1 });
		expect(cryptoSpec('election', election)).toEqual({ options: 4, min: 0, max: 2, groups: 1 });
		expect(cryptoSpec('confidence', confidence)).toEqual({ options: 6, min: 1, max: 1, groups: 2 });
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

	it('rebuilds confidence ballots from counts: every ballot rates every person once, and the tally reads each person', () => {
		// 4 ballots: A rated high ×3, low ×1; B rated confidence ×2, low ×2.
		const counts = [3, 0, 1, 0, 2, 2];
		const ballots = ballotsFromCounts('confidence', confidence, counts, 4);
		expect(ballots).toEqual([
			{ p1: 'high', p2: 'confidence' },
			{ p1: 'high', p2: 'confidence' },
			{ p1: 'high', p2: 'low' },
			{ p1: 'low', p2: 'low' }
		]);
		const r = resultFromCounts('confidence', confidence, counts, 4, 6, 5, { kind: 'majority' }) as { persons: { id: string; high: { count: number }; low: { count: number } }[] };
		expect(r.persons.map((p) => [p.id, p.high.count, p.low.count])).toEqual([
			['p1', 3, 1],
			['p2', 0, 2]
		]);
	});
});

