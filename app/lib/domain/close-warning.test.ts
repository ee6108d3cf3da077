import { describe, expect, it } from 'vitest';
import { closeWarning } from './close-warning';

describe('closeWarning: what the chair is told before closing a vote', () => {
	it('tells the chair before a close how many present delegates have not voted, or that all have', () => {
		expect(closeWarning(14, 21)).toEqual(['sui.chair.closeVoteRemaining', { remaining: 7 }]);
		expect(closeWarning(21, 21)).toEqual(['sui.chair.closeVoteAllVoted', { present: 21 }]);
		// A voter who left the hall afterwards: nobody is missing, and the figure is the ballots cast.
		expect(closeWarning(15, 14)).toEqual(['sui.chair.closeVoteAllVoted', { present: 15 }]);
	});
});
