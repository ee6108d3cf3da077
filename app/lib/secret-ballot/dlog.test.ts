import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedLog } from './dlog';
import { G, gTimes } from './group';

describe('bounded discrete log', () => {
	it('finds every m in [0, max]', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 6000 }), fc.integer({ min: 0, max: 6000 }), (a, b) => {
				const [m, max] = a <= b ? [a, b] : [b, a];
				return boundedLog(gTimes(m), max) === m;
			}),
			{ numRuns: 60 }
		);
	});

	it('gives null above the bound instead of searching on', () => {
		expect(boundedLog(gTimes(96), 95)).toBeNull();
		expect(boundedLog(gTimes(10_000), 5040)).toBeNull();
		expect(boundedLog(G.negate(), 100)).toBeNull();
		expect(boundedLog(gTimes(0), 0)).toBe(0);
		expect(boundedLog(gTimes(1), -1)).toBeNull();
	});
});
