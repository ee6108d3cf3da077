import { describe, expect, it } from 'vitest';
import { isCrossSiteWrite } from './csrf';

const own = 'https://hdnd.example.vn';
const req = (method: string, headers: Record<string, string>) => new Request(own + '/api/trpc/x', { method, headers });

describe('isCrossSiteWrite', () => {
	it('lets the app itself write', () => {
		expect(isCrossSiteWrite(req('POST', { origin: own }), own)).toBe(false);
		expect(isCrossSiteWrite(req('POST', { 'sec-fetch-site': 'same-origin' }), own)).toBe(false);
	});
	it('refuses writes from another origin', () => {
		expect(isCrossSiteWrite(req('POST', { origin: 'https://evil.example' }), own)).toBe(true);
		expect(isCrossSiteWrite(req('POST', { 'sec-fetch-site': 'cross-site' }), own)).toBe(true);
		expect(isCrossSiteWrite(req('POST', { origin: 'null' }), own)).toBe(true);
	});
	it('does not police reads or non-browser clients', () => {
		expect(isCrossSiteWrite(req('GET', { origin: 'https://evil.example' }), own)).toBe(false);
		expect(isCrossSiteWrite(req('POST', {}), own)).toBe(false);
	});
});
