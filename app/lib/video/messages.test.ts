import { describe, expect, it } from 'vitest';
import { en, vi } from './messages';

describe('video messages', () => {
	it('has the same keys in both languages, none empty', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(vi).sort());
		for (const text of [...Object.values(vi), ...Object.values(en)]) expect(text.trim()).not.toBe('');
	});
	it('keeps placeholders identical across languages', () => {
		const holes = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
		for (const key of Object.keys(vi) as (keyof typeof vi)[]) expect(holes(en[key])).toEqual(holes(vi[key]));
	});
});
