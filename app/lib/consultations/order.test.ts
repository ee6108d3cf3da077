import { describe, expect, it } from 'vitest';
import { isNewer } from './order';

describe('isNewer', () => {
	it('orders results by answers, then open before closed', () => {
		expect(isNewer({ answered: 1, status: 'open' }, null)).toBe(true);
		expect(isNewer({ answered: 2, status: 'open' }, { answered: 1, status: 'open' })).toBe(true);
		expect(isNewer({ answered: 1, status: 'closed' }, { answered: 1, status: 'open' })).toBe(true);
		expect(isNewer({ answered: 2, status: 'closed' }, { answered: 1, status: 'closed' })).toBe(true);
	});

	it('treats the same or an older state as stale', () => {
		expect(isNewer({ answered: 1, status: 'open' }, { answered: 1, status: 'open' })).toBe(false);
		expect(isNewer({ answered: 1, status: 'open' }, { answered: 2, status: 'open' })).toBe(false);
		expect(isNewer({ answered: 1, status: 'open' }, { answered: 1, status: 'closed' })).toBe(false);
		expect(isNewer({ answered: 1, status: 'closed' }, { answered: 1, status: 'closed' })).toBe(false);
	});
});
