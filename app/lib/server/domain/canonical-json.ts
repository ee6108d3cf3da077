// Canonical JSON (RFC 8785, JCS) so the same event always hashes the same, on any machine and after
// a round-trip through PostgreSQL jsonb (which reorders keys and drops whitespace).
// Numbers and string escapes: JSON.stringify already produces the ECMAScript forms RFC 8785 §3.2.2
// prescribes. Keys: sorted by UTF-16 code units (§3.2.3), which is JavaScript's default string order.
// Anything JSON cannot represent faithfully is refused rather than silently dropped or changed.

export class CanonicalJsonError extends TypeError {
	constructor(
		public path: string,
		public reason: string
	) {
		super(`canonicalJson: ${reason} at ${path}`);
		this.name = 'CanonicalJsonError';
	}
}

// With the u flag a proper surrogate pair is one code point, so this matches only lone surrogates,
// which I-JSON (RFC 7493, required by RFC 8785) forbids.
const LONE_SURROGATE = /\p{Cs}/u;

function str(s: string, path: string): string {
	if (LONE_SURROGATE.test(s)) throw new CanonicalJsonError(path, 'lone surrogate in string');
	return JSON.stringify(s);
}

function write(value: unknown, path: string, stack: object[]): string {
	switch (typeof value) {
		case 'string':
			return str(value, path);
		case 'boolean':
			return value ? 'true' : 'false';
		case 'number':
			if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${value} is not JSON`);
			return JSON.stringify(value); // -0 → "0", 1e21 → "1e+21", as RFC 8785 requires
		case 'object':
			break;
		default:
			// undefined, function, symbol, bigint
			throw new CanonicalJsonError(path, `${typeof value} is not JSON`);
	}
	if (value === null) return 'null';
	if (stack.includes(value)) throw new CanonicalJsonError(path, 'circular reference');
	stack.push(value);
	try {
		if (Array.isArray(value)) {
			const items: string[] = [];
			for (let i = 0; i < value.length; i++) {
				if (!(i in value)) throw new CanonicalJsonError(`${path}[${i}]`, 'hole in array');
				items.push(write(value[i], `${path}[${i}]`, stack));
			}
			return `[${items.join(',')}]`;
		}
		const proto = Object.getPrototypeOf(value);
		if (proto !== Object.prototype && proto !== null) {
			// Date, Map, Buffer, class instances: their JSON form is ambiguous; pass ISO strings etc.
			const name = (proto?.constructor?.name as string | undefined) ?? 'object';
			throw new CanonicalJsonError(path, `${name} is not a plain object`);
		}
		if (Object.getOwnPropertySymbols(value).length > 0)
			throw new CanonicalJsonError(path, 'symbol key');
		const keys = Object.keys(value).sort();
		const members = keys.map((k) => {
			const child = `${path}.${k}`;
			return `${str(k, child)}:${write((value as Record<string, unknown>)[k], child, stack)}`;
		});
		return `{${members.join(',')}}`;
	} finally {
		stack.pop();
	}
}

export function canonicalJson(value: unknown): string {
	return write(value, '$', []);
}
