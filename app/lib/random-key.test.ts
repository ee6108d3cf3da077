import { afterEach, describe, expect, it, vi } from 'vitest';
import { randomKey } from './random-key';

describe('randomKey', () => {
	afterEach(() => vi.unstubAllGlobals());

	it('is 128 random bits in hex, different every time', () => {
		const keys = new Set(Array.from({ length: 1000 }, () => randomKey()));
		expect(keys.size).toBe(1000);
		for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/);
	});

	it('needs only crypto.getRandomValues (plain-http intranet: no randomUUID)', () => {
		const real = globalThis.crypto;
		vi.stubGlobal('crypto', { getRandomValues: (array: Uint8Array) => real.getRandomValues(array) });
		expect(randomKey()).toMatch(/^[0-9a-f]{32}$/);
	});
});
