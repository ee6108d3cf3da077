import { describe, expect, it } from 'vitest';
import { checkEqualLogs, proveEqualLogs } from './equal-logs';
import { G, mulSecret, randomScalar } from './group';

describe('equal discrete logs (Schnorr / Chaum–Pedersen)', () => {
	const x = randomScalar();
	const a = mulSecret(G, randomScalar());
	const publics = [mulSecret(G, x), mulSecret(a, x)];

	it('verifies with the same purpose, binding, bases and publics', () => {
		const proof = proveEqualLogs('t', ['vote', 1], [G, a], publics, x);
		expect(checkEqualLogs('t', ['vote', 1], [G, a], publics, proof)).toBe(true);
		expect(checkEqualLogs('u', ['vote', 1], [G, a], publics, proof)).toBe(false);
		expect(checkEqualLogs('t', ['vote', 2], [G, a], publics, proof)).toBe(false);
		expect(checkEqualLogs('t', ['vote', 1], [G, a], [publics[0], mulSecret(a, randomScalar())], proof)).toBe(false);
	});

	it('a different secret for the second base fails', () => {
		const y = randomScalar();
		const proof = proveEqualLogs('t', [], [G, a], [publics[0], mulSecret(a, y)], x);
		expect(checkEqualLogs('t', [], [G, a], [publics[0], mulSecret(a, y)], proof)).toBe(false);
	});

	it('malformed proofs are false, not exceptions', () => {
		for (const junk of [null, 'x', {}, { e: 'zz', z: '00' }, { e: 'ff'.repeat(32), z: 'ff'.repeat(32) }]) {
			expect(checkEqualLogs('t', [], [G], [publics[0]], junk)).toBe(false);
		}
	});
});
