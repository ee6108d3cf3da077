/** Hostile values for fuzzing procedure inputs (fast-check arbitraries). */
import fc from 'fast-check';

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'then'] as const;

/** An object with an own property `key` (also for `__proto__`, which a plain assignment would not create). */
export function withOwn(base: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
	const copy = { ...base };
	Object.defineProperty(copy, key, { value, enumerable: true, configurable: true, writable: true });
	return copy;
}

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
	let v: unknown = leaf;
	for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
	return v;
}

export const hostileString = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 40 }),
	fc.string({ unit: 'grapheme', maxLength: 40 }),
	fc.constantFrom(
		'',
		' ',
		'\u0000',
		'Nghị quyết\u0000',
		'\uD800',
		'a\uDFFFb',
		'\u202Eexe.fdp',
		'\uFEFFtiêu đề',
		'e\u0301'.repeat(200),
		"'; drop table users; --",
		'%_\\',
		'<script>alert(1)</script>',
		'{{constructor.constructor("return process")()}}',
		'../../etc/passwd',
		'00000000-0000-0000-0000-000000000000',
		'ffffffff-ffff-ffff-ffff-ffffffffffff'
	),
	fc.integer({ min: 200, max: 1_100_000 }).map((n) => 'đ'.repeat(n)),
	fc.uuid({ version: 4 })
);

export const hostileNumber = fc.oneof(
	fc.double(),
	fc.integer(),
	fc.constantFrom(NaN, Infinity, -Infinity, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -1, 0, 2 ** 31, 2 ** 53, 0.5, 1001, 3601),
	fc.bigInt()
);

export const hostileDate = fc.constantFrom<unknown>(
	new Date(8.64e15),
	new Date(-8.64e15),
	new Date(NaN),
	new Date('0001-01-01T00:00:00Z'),
	new Date('9999-12-31T23:59:59Z'),
	'275760-09-13T00:00:00Z',
	'-271821-04-20T00:00:00Z',
	'2026-02-30',
	'not a date',
	8.64e15,
	-8.64e15,
	1e20,
	0,
	''
);

const protoPayloads = fc.constantFrom<unknown>(
	JSON.parse('{"__proto__": {"isAdmin": true, "cityRoles": ["admin"]}}'),
	JSON.parse('{"constructor": {"prototype": {"polluted": true}}}'),
	JSON.parse('{"__proto__": null, "toString": "x", "valueOf": 1}'),
	Object.create(null),
	Object.assign(Object.create(null), { councilId: 'x' })
);

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
	fc.anything({
		key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom(...PROTO_KEYS)),
		maxDepth: 4,
		withBigInt: true,
		withBoxedValues: true,
		withDate: true,
		withMap: true,
		withSet: true,
		withNullPrototype: true,
		withObjectString: true,
		withSparseArray: true,
		withTypedArray: true
	}),
	hostileString,
	hostileNumber,
	hostileDate,
	protoPayloads,
	fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([depth, asArray]) => nest(depth, 'x', asArray)),
	fc.integer({ min: 201, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => `id-${i}`)),
	fc.constantFrom<unknown>(undefined, null, true, false, [], {}, () => 1, Symbol('x'), new Error('x'), Promise.resolve(1))
);

/** Keeps the template's shape, each leaf either kept or replaced with a hostile value of a plausible kind. */
export function shaped(template: unknown): fc.Arbitrary<unknown> {
	if (typeof template === 'string') return fc.oneof(fc.constant(template), hostileString);
	if (typeof template === 'number') return fc.oneof(fc.constant(template), hostileNumber);
	if (typeof template === 'boolean') return fc.oneof(fc.constant(template), hostileValue);
	if (template instanceof Date) return fc.oneof(fc.constant(template), hostileDate);
	if (Array.isArray(template)) return template.length ? fc.array(shaped(template[0]), { maxLength: 5 }) : fc.constant([]);
	if (template && typeof template === 'object') {
		const entries = Object.entries(template as Record<string, unknown>);
		return fc.record(Object.fromEntries(entries.map(([k, v]) => [k, shaped(v)])) as Record<string, fc.Arbitrary<unknown>>);
	}
	return fc.oneof(fc.constant(template), hostileValue);
}

/** Hostile inputs derived from a valid template: anything at all, one field replaced, extra keys, or leaves fuzzed. */
export function hostileInput(template: unknown): fc.Arbitrary<unknown> {
	const arbs: fc.Arbitrary<unknown>[] = [hostileValue, shaped(template)];
	if (template && typeof template === 'object' && !Array.isArray(template) && !(template instanceof Date)) {
		const obj = template as Record<string, unknown>;
		const keys = Object.keys(obj);
		const key = fc.oneof(...(keys.length ? [fc.constantFrom(...keys)] : []), fc.constantFrom(...PROTO_KEYS), fc.string({ maxLength: 8 }));
		arbs.push(fc.tuple(key, hostileValue).map(([k, v]) => withOwn(obj, k, v)));
	}
	return fc.oneof(...arbs);
}

/** A short, printable description of a generated input for failure messages. */
export function describeInput(input: unknown): string {
	try {
		return fc.stringify(input).slice(0, 400);
	} catch {
		// Too deep for a recursive printer (fast-check's, or Array#toString): say what it is.
		return `<${Array.isArray(input) ? 'array' : typeof input} nested too deep to print>`;
	}
}

const EDGE_STRINGS = ['tiêu đề\u0000', 'a\uDFFFb', '\uD800', '\u202E\uFEFF', 'đ'.repeat(1_100_000)];
const EDGE_NUMBERS = [NaN, Infinity, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, 0.5];
const EDGE_DATES = [new Date(-8.64e15), new Date(8.64e15), new Date(NaN), '275760-09-13T00:00:00Z'];

function leafVariants(value: unknown): unknown[] {
	if (typeof value === 'string') return EDGE_STRINGS;
	if (typeof value === 'number') return EDGE_NUMBERS;
	if (value instanceof Date) return EDGE_DATES;
	return [];
}

/**
 * Deterministic edge cases run before the random ones: the template with ONE leaf replaced by each edge value
 * (NUL, lone surrogates, bidi controls, a megabyte of text, NaN/Infinity, dates outside PostgreSQL's range),
 * plus prototype-pollution keys and the classic wrong shapes.
 */
export function edgeInputs(template: unknown): unknown[] {
	const out: unknown[] = [undefined, null, [], 'x', 42, JSON.parse('{"__proto__": {"isAdmin": true}}')];
	const walk = (value: unknown, replace: (v: unknown) => unknown) => {
		for (const v of leafVariants(value)) out.push(replace(v));
		if (Array.isArray(value)) value.forEach((item, i) => walk(item, (v) => replace(value.map((x, j) => (j === i ? v : x)))));
		else if (value && typeof value === 'object' && !(value instanceof Date)) {
			for (const [k, item] of Object.entries(value)) walk(item, (v) => replace({ ...(value as Record<string, unknown>), [k]: v }));
		}
	};
	walk(template, (v) => v);
	if (template && typeof template === 'object' && !Array.isArray(template) && !(template instanceof Date)) {
		for (const key of PROTO_KEYS) out.push(withOwn(template as Record<string, unknown>, key, { polluted: true }));
	}
	return out;
}
