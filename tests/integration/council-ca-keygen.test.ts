import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { councilCa } from '../../app/lib/server/resolutions/pki';
import { councilIdOf, db } from '../helpers/callers';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

// A council's CA is made on first use — now at its first vote's close, for the signed chain head, so at a city-wide
// vote's close for every ward at once. Its RSA key (about 0.2 s each) is made on libuv's thread pool, never on the
// event loop: the synchronous generator is not called.
describe('a council CA made on first use', () => {
	afterEach(() => vi.restoreAllMocks());

	it('generates its key off the event loop, once, and keeps it', async () => {
		const councilId = await councilIdOf('26740');
		await db().deleteFrom('council_cas').where('council_id', '=', councilId).execute();
		const sync = vi.spyOn(crypto, 'generateKeyPairSync');
		const async = vi.spyOn(crypto, 'generateKeyPair');
		const first = await councilCa(db(), councilId);
		expect(sync).not.toHaveBeenCalled();
		expect(async).toHaveBeenCalledTimes(1);
		const again = await councilCa(db(), councilId);
		expect(async).toHaveBeenCalledTimes(1);
		expect(again.certificate.serialNumber).toBe(first.certificate.serialNumber);
	});
});
