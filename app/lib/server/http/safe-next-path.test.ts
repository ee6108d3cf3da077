import { describe, expect, it } from 'vitest';
import { safeNextPath } from './safe-next-path';

describe('safeNextPath', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(safeNextPath('/')).toBe('/');
		expect(safeNextPath('/sittings/0b6f3c1e-2a8f-4c55-9d0e-3c1f2b9a7e11/chair')).toBe('/sittings/0b6f3c1e-2a8f-4c55-9d0e-3c1f2b9a7e11/chair');
		expect(safeNextPath('/councils?q=B%E1%BA%BFn%20Th%C3%A0nh#list')).toBe('/councils?q=B%E1%BA%BFn%20Th%C3%A0nh#list');
		// Normalised as a browser would: the dot segments go, the target stays on this site.
		expect(safeNextPath('/a/./b/../c')).toBe('/a/c');
	});

	it('falls back to / for nothing at all', () => {
		expect(safeNextPath(null)).toBe('/');
		expect(safeNextPath(undefined)).toBe('/');
		expect(safeNextPath('')).toBe('/');
	});

	it.each([
		['protocol-relative', '//evil.example/x'],
		['backslash (browsers read /\\ as //)', '/\\evil.example/x'],
		['backslashes only', '\\\\evil.example'],
		['dot segment that normalises to //', '/.//evil.example/x'],
		['dot-dot segment that normalises to //', '/..//evil.example/x'],
		['deeper dot segments', '/a/..//evil.example'],
		['encoded slashes', '/%2F%2Fevil.example/x'],
		['encoded slash after a slash', '/%2Fevil.example/x'],
		['encoded backslash', '/%5Cevil.example/x'],
		['malformed percent-encoding', '/%E0%A4%A'],
		['javascript: URL', 'javascript:alert(1)'],
		['javascript: URL behind a slash-less space', ' javascript:alert(1)'],
		['data: URL', 'data:text/html,<script>alert(1)</script>'],
		['absolute URL', 'https://evil.example/'],
		['absolute URL of the app’s own scheme', 'http://evil.example/'],
		['scheme-less host', 'evil.example/x'],
		['tab inside //', '/\t/evil.example'],
		['newline inside //', '/\n/evil.example'],
		['carriage return', '/\r/evil.example'],
		['NUL', '/\u0000/evil.example'],
		['DEL', '/\u007f/evil.example']
	])('refuses %s', (_name, raw) => {
		expect(safeNextPath(raw)).toBe('/');
	});
});
