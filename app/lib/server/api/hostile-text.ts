/**
 * Finds text PostgreSQL cannot store (NUL) or that is not valid Unicode (a lone surrogate), anywhere in an
 * input. Checked once for every procedure, so no text field can turn into a database error (a 500).
 */
export function findInvalidText(value: unknown, path = '', depth = 0): string | null {
	if (depth > 64) return path || '(root)';
	if (typeof value === 'string') {
		// eslint-disable-next-line no-control-regex
		return /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value) ? path || '(root)' : null;
	}
	if (Array.isArray(value)) {
		for (let i = 0; i < value.length; i++) {
			const found = findInvalidText(value[i], `${path}[${i}]`, depth + 1);
			if (found) return found;
		}
		return null;
	}
	if (value && typeof value === 'object') {
		for (const [key, v] of Object.entries(value)) {
			const found = findInvalidText(key, path, depth + 1) ?? findInvalidText(v, path ? `${path}.${key}` : key, depth + 1);
			if (found) return found;
		}
	}
	return null;
}
