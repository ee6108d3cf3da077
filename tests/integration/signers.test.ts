/**
 * The chair's choice of signer, end to end through the procedures (issue 18 §3): a key generated on a real SoftHSM2
 * token and certified by the council's CA, and a remote signing service (the reference implementation) — each signs
 * a resolution that verifies against the council CA, the revision names how it was signed, and a wrong PIN, a
 * refused token or a bad signature from the service stores nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { councilCa, trustedRoots } from '../../app/lib/server/resolutions/pki';
import { verifyPdf } from '../../signing/index';
import { as, db } from '../helpers/callers';
import { startRemoteSigner, type RemoteSignerService } from '../helpers/remote-signer';
import { adoptedResolution } from '../helpers/resolutions';
import { createSoftHsmToken, type SoftHsmToken } from '../helpers/softhsm';

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

let token: SoftHsmToken;
let service: RemoteSignerService | undefined;

beforeAll(() => {
	token = createSoftHsmToken({ label: 'Token HDND' });
	process.env.PKCS11_MODULE = token.module;
});

afterAll(async () => {
	delete process.env.PKCS11_MODULE;
	delete process.env.REMOTE_SIGNER_URL;
	token?.dispose();
	await service?.close();
});

const revisions = (resolutionId: string) =>
	db().selectFrom('resolution_revisions').select(['revision', 'signer_method', 'pdf']).where('resolution_id', '=', resolutionId).orderBy('revision').execute();

/** The councils' CAs, the city's (its TSA stamps every signature) among them. */
const roots = () => trustedRoots(db());

describe('signing with a PKCS#11 token', () => {
	it('only a chair of the council sets up a token for it', async () => {
		const { councilId } = await adoptedResolution('Về thử nghiệm thiết bị ký');
		const clerk = await as('clerk.26743');
		await expect(clerk.resolution.setSigner({ method: 'pkcs11', councilId, tokenLabel: token.tokenLabel, keyLabel: 'van-thu', pin: token.pin, generateKey: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await db().selectFrom('token_certificates').select('id').execute()).toEqual([]);
	});

	it('generates the key on the token, certifies it, and signs; a wrong PIN is refused in Vietnamese and stores nothing', async () => {
		const { resolutionId, chair, councilId } = await adoptedResolution('Về thử nghiệm thiết bị ký');
		const settings = await chair.resolution.setSigner({ method: 'pkcs11', councilId, tokenLabel: token.tokenLabel, keyLabel: 'chu-tich', pin: token.pin, generateKey: true });
		expect(settings.method).toBe('pkcs11');
		expect(settings.tokenCertificates.map((c) => [c.councilId, c.tokenLabel, c.keyLabel])).toEqual([[councilId, token.tokenLabel, 'chu-tich']]);

		await expect(chair.resolution.sign({ resolutionId, passphrase: '000000' })).rejects.toMatchObject({ message: 'Mã PIN của thiết bị ký số (token) không đúng.' });
		expect((await revisions(resolutionId)).map((r) => r.revision)).toEqual([0]);

		expect(await chair.resolution.sign({ resolutionId, passphrase: token.pin })).toMatchObject({ status: 'signed', revision: 1 });
		await (await as('clerk.26743')).resolution.seal({ resolutionId, passphrase: 'demo' });
		const revs = await revisions(resolutionId);
		expect(revs.map((r) => [r.revision, r.signer_method])).toEqual([
			[0, null],
			[1, 'pkcs11'],
			[2, 'server']
		]);
		const v = verifyPdf(revs[2].pdf, { trustedRoots: await roots() });
		expect(v.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems])).toEqual([
			['sig_chair', true, true, []],
			['sig_org', true, true, []]
		]);
		// The chair's signature is the token certificate's.
		const tokenSerial = (await db().selectFrom('token_certificates').select('serial').where('council_id', '=', councilId).where('revoked_at', 'is', null).executeTakeFirstOrThrow()).serial;
		expect(v.signatures[0].certificate?.serial.toLowerCase().replace(/^0+/, '')).toBe(tokenSerial.toLowerCase().replace(/^0+/, ''));
		// The resolution page says how each signature was made.
		const listed = (await chair.resolution.list({ councilId })).find((r) => r.id === resolutionId)!;
		expect(listed.signatures).toEqual([
			{ revision: 1, method: 'pkcs11' },
			{ revision: 2, method: 'server' }
		]);
		expect((await chair.resolution.get({ resolutionId })).revisions.map((r) => r.signerMethod)).toEqual([null, 'pkcs11', 'server']);
		// Back to the key kept by the server.
		expect((await chair.resolution.setSigner({ method: 'server' })).method).toBe('server');
	});
});

describe('signing through a remote signing service', () => {
	it('stores the bearer token only when the service accepts it, signs with it, and refuses a signature that does not verify', async () => {
		const { resolutionId, chair, councilId } = await adoptedResolution('Về thử nghiệm ký từ xa');
		service = await startRemoteSigner(await councilCa(db(), councilId));
		await expect(chair.resolution.setSigner({ method: 'remote', remoteToken: service.token })).rejects.toMatchObject({ message: 'Hệ thống chưa được cấu hình dịch vụ ký số từ xa.' });
		process.env.REMOTE_SIGNER_URL = service.url;
		await expect(chair.resolution.setSigner({ method: 'remote', remoteToken: 'khong-phai-ma-cua-toi-0123' })).rejects.toMatchObject({ message: 'Dịch vụ ký số từ xa từ chối yêu cầu ký.' });
		// Not a bearer token at all (it could not go into a header): refused by the procedure's validation.
		await expect(chair.resolution.setSigner({ method: 'remote', remoteToken: 'không-phải-mã-của-tôi-0123' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect((await chair.resolution.signer()).method).toBe('server');
		expect((await chair.resolution.setSigner({ method: 'remote', remoteToken: service.token })).method).toBe('remote');

		service.misbehave = 'wrongSignature';
		await expect(chair.resolution.sign({ resolutionId })).rejects.toMatchObject({ message: 'Chữ ký do thiết bị hoặc dịch vụ ký trả về không khớp với chứng thư số; văn bản không được ký.' });
		expect((await revisions(resolutionId)).map((r) => r.revision)).toEqual([0]);

		service.misbehave = 'none';
		expect(await chair.resolution.sign({ resolutionId })).toMatchObject({ status: 'signed', revision: 1 });
		const revs = await revisions(resolutionId);
		expect(revs.map((r) => [r.revision, r.signer_method])).toEqual([
			[0, null],
			[1, 'remote']
		]);
		const v = verifyPdf(revs[1].pdf, { trustedRoots: await roots() });
		expect(v.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems])).toEqual([['sig_chair', true, true, []]]);
		expect(v.signatures[0].certificate?.subject).toContain('Nguyễn Văn Ký Từ Xa');
		await chair.resolution.setSigner({ method: 'server' });
	});
});
