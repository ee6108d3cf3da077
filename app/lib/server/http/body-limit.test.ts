import { describe, expect, it } from 'vitest';
import type { AuthUser } from '../auth/current-user';
import { CSV_IMPORT_BODY_LIMIT, DEFAULT_BODY_LIMIT, bodyLimitFor, boundedRequest } from './body-limit';

const user = (cityRoles: AuthUser['cityRoles']): AuthUser => ({ id: 'u', username: 'u', fullName: 'U', cityRoles, councils: [] });

describe('bodyLimitFor', () => {
	it('leaves the file routes to their own limits', () => {
		for (const path of ['/api/sittings/0b6f3c1e-2a8f-4c55-9d0e-3c1f2b9a7e11/documents', '/api/verify', '/verify']) expect(bodyLimitFor(path, null), path).toBeNull();
		expect(bodyLimitFor('/api/verify/ca/x.pem', null)).toBe(DEFAULT_BODY_LIMIT);
	});

	it('grants the CSV import its size for admins only, batched or not, however the path is encoded', () => {
		const admin = user(['admin']);
		expect(bodyLimitFor('/api/trpc/admin.importDelegates', admin)).toBe(CSV_IMPORT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/admin.importDelegates,council.list', admin)).toBe(CSV_IMPORT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/admin%2EimportDelegates', admin)).toBe(CSV_IMPORT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/admin.createUser', admin)).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/admin.importDelegates', user(['monitor']))).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/admin.importDelegates', null)).toBe(DEFAULT_BODY_LIMIT);
		expect(bodyLimitFor('/api/trpc/%E0%A4%A', admin)).toBe(DEFAULT_BODY_LIMIT);
	});
});

describe('boundedRequest', () => {
	function chunked(chunks: number, size: number): Request {
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent++ < chunks) controller.enqueue(new Uint8Array(size).fill(0x5b));
				else controller.close();
			}
		});
		return new Request('http://localhost/api/trpc/auth.login', { method: 'POST', body, duplex: 'half', headers: { 'content-type': 'application/json' } } as RequestInit);
	}

	it('judges a declared length without reading the body', async () => {
		const declared = (length: string) => new Request('http://localhost/x', { method: 'POST', headers: { 'content-length': length } });
		const fits = declared('100');
		expect(await boundedRequest(fits, 100)).toBe(fits);
		expect(await boundedRequest(declared('101'), 100)).toBeNull();
		expect(await boundedRequest(declared('nonsense'), 100)).toBeNull();
	});

	it('reads a chunked body up to the limit: a copy with the same bytes when it fits, null as soon as it does not', async () => {
		const copy = await boundedRequest(chunked(4, 25), 100);
		expect(copy).not.toBeNull();
		expect(copy!.method).toBe('POST');
		expect((await copy!.arrayBuffer()).byteLength).toBe(100);
		expect(await boundedRequest(chunked(5, 25), 100)).toBeNull();
		// An endless body is refused too: reading stops at the limit.
		expect(await boundedRequest(chunked(Number.POSITIVE_INFINITY, 1024), 100 * 1024)).toBeNull();
	});
});
