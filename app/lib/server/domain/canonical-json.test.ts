import { describe, expect, it } from 'vitest';
import { canonicalJson, CanonicalJsonError } from './canonical-json';

describe('canonicalJson', () => {
	it('sorts keys recursively and writes no whitespace', () => {
		expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
			'{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'
		);
		expect(canonicalJson({ b: 1, a: 2 })).toBe(canonicalJson({ a: 2, b: 1 }));
	});

	it('RFC 8785 §3.2.2 example', () => {
		const input =
			'{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
			' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}';
		expect(canonicalJson(JSON.parse(input))).toBe(
			'{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}'
		);
	});

	it('RFC 8785 §3.2.3: keys sorted by UTF-16 code units (😀 before דּ, unlike code-point order)', () => {
		const obj = {
			'\u20ac': 'Euro Sign',
			'\r': 'Carriage Return',
			'\ufb33': 'Hebrew Letter Dalet With Dagesh',
			'1': 'One',
			'\ud83d\ude00': 'Emoji: Grinning Face',
			'\u0080': 'Control',
			'\u00f6': 'Latin Small Letter O With Diaeresis'
		};
		// Checked on the text: JSON.parse would put the integer-like key "1" first again.
		const text = canonicalJson(obj);
		const order = ['\\r', '"1"', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'].map((k) =>
			text.indexOf(k)
		);
		expect(order).toEqual([...order].sort((a, b) => a - b));
	});

	it('RFC 8785 Appendix B numbers', () => {
		const cases: [number, string][] = [
			[0, '0'],
			[-0, '0'],
			[5e-324, '5e-324'],
			[-5e-324, '-5e-324'],
			[1.7976931348623157e308, '1.7976931348623157e+308'],
			[9.999999999999997e22, '9.999999999999997e+22'],
			[1e23, '1e+23'],
			[0.000001, '0.000001'],
			[9.999999999999997e-7, '9.999999999999997e-7'],
			[295147905179352830000, '295147905179352830000'],
			[1e21, '1e+21'],
			[-1e-7, '-1e-7']
		];
		for (const [n, s] of cases) expect(canonicalJson(n)).toBe(s);
	});

	it('keeps Vietnamese text as UTF-8 characters, not escapes', () => {
		expect(canonicalJson({ tên: 'Nghị quyết số 05/2026/NQ-HĐND' })).toBe(
			'{"tên":"Nghị quyết số 05/2026/NQ-HĐND"}'
		);
	});

	it.each([
		['undefined', undefined],
		['undefined property', { a: undefined }],
		['undefined in array', [1, undefined]],
		['function', { f: () => 1 }],
		['symbol', Symbol('x')],
		['bigint', 1n],
		['NaN', NaN],
		['Infinity', { n: -Infinity }],
		['Date', { at: new Date(0) }],
		['Map', new Map()],
		['class instance', new (class Thing {})()],
		['Buffer', Buffer.from('x')],
		['sparse array', [1, , 3]], // eslint-disable-line no-sparse-arrays
		['lone surrogate', 'a\ud800b'],
		['lone surrogate key', { '\udc00': 1 }],
		['symbol key', { [Symbol('k')]: 1 }]
	])('refuses %s', (_name, value) => {
		expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
	});

	it('refuses cycles but allows the same object twice', () => {
		const shared = { x: 1 };
		expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
		const loop: Record<string, unknown> = {};
		loop.self = loop;
		expect(() => canonicalJson(loop)).toThrow(CanonicalJsonError);
	});

	it('says where the problem is', () => {
		expect(() => canonicalJson({ votes: [{ at: new Date(0) }] })).toThrow('at $.votes[0].at');
	});

	it('accepts objects without a prototype (as from JSON parsers that use them)', () => {
		const o = Object.create(null) as Record<string, number>;
		o.b = 2;
		o.a = 1;
		expect(canonicalJson(o)).toBe('{"a":1,"b":2}');
	});
});
