/**
 * The remote signing service signer against the reference service (tests/helpers/remote-signer.ts): a resolution
 * signed through it verifies (our verifier, openssl cms, pyHanko), and every way a service can misbehave — a bad
 * signature, another certificate, a late or oversized or non-JSON answer, a wrong token — is refused before a
 * document is produced.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRemoteSigner, type RemoteSignerService } from '../tests/helpers/remote-signer';
import { isSigningError, type SigningErrorCode } from './errors.js';
import { sampleResolution } from './fixtures.js';
import { signPdf } from './pades.js';
import { renderResolution } from './render.js';
import { openRemoteSigner, remoteSignerUrl } from './signer-remote.js';
import { chairOptions, extractSignatures, makePki, opensslCmsVerify, run, tmpDir, writeTmp } from './test-helpers.js';
import { verifyPdf } from './verify.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');

let pki: ReturnType<typeof makePki>;
let svc: RemoteSignerService;
let rendered: Uint8Array;
let dir: string;

beforeAll(async () => {
	pki = makePki();
	svc = await startRemoteSigner(pki.ca);
	rendered = await renderResolution(sampleResolution());
	dir = tmpDir('nts-remote-');
});

afterAll(async () => {
	await svc?.close();
});

/** The chair's options with the signer instead of a server-held key. */
async function signWith(cfg: Parameters<typeof openRemoteSigner>[0]) {
	const signer = await openRemoteSigner(cfg);
	return signPdf(rendered, { ...chairOptions(pki.chair), privateKey: undefined, certificate: undefined, chain: undefined, signer });
}

async function refusal(p: Promise<unknown>): Promise<SigningErrorCode | 'none'> {
	try {
		await p;
		return 'none';
	} catch (err) {
		if (isSigningError(err)) return err.code;
		throw err;
	}
}

describe('a remote signing service as the signer', () => {
	it('signs a resolution that our verifier, openssl cms and pyHanko accept', async () => {
		svc.misbehave = 'none';
		const signed = await signWith({ url: svc.url, token: svc.token });
		// Hash in: the service saw one 32-byte digest and nothing of the document.
		expect(svc.signedHashes).toHaveLength(1);
		expect(svc.signedHashes[0]).toHaveLength(32);
		const v = verifyPdf(signed, { trustedRoots: [pki.caPem] });
		expect(v.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems])).toEqual([['sig_chair', true, true, []]]);
		expect(v.signatures[0].certificate?.subject).toContain('Nguyễn Văn Ký Từ Xa');

		const [sig] = extractSignatures(signed);
		const ca = writeTmp(dir, 'ca.pem', pki.caPem);
		const o = opensslCmsVerify(writeTmp(dir, 'remote.der', sig.cms), writeTmp(dir, 'remote.bin', sig.signed), ca);
		expect(o.status, o.out).toBe(0);

		expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
		const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/validate.py'), writeTmp(dir, 'remote.pdf', signed), ca]);
		expect(r.status, r.out).toBe(0);
		const sigs = (JSON.parse(r.stdout) as { signatures: { field: string; intact: boolean; valid: boolean; trusted: boolean }[] }).signatures;
		expect(sigs.map((s) => [s.field, s.intact, s.valid, s.trusted])).toEqual([['sig_chair', true, true, true]]);
	});

	it('refuses a signature that does not verify against the certificate', async () => {
		svc.misbehave = 'wrongSignature';
		expect(await refusal(signWith({ url: svc.url, token: svc.token }))).toBe('SIGNER_BAD_SIGNATURE');
	});

	it('refuses an answer naming another certificate than the one announced', async () => {
		const signer = await openRemoteSigner({ url: svc.url, token: svc.token });
		svc.misbehave = 'otherCertificate';
		expect(await refusal(signPdf(rendered, { ...chairOptions(pki.chair), privateKey: undefined, signer }))).toBe('KEY_CERT_MISMATCH');
	});

	it('gives up on a late answer at the time limit', async () => {
		svc.misbehave = 'none';
		const signer = await openRemoteSigner({ url: svc.url, token: svc.token, timeoutMs: 300 });
		svc.misbehave = 'slow';
		const started = performance.now();
		expect(await refusal(signPdf(rendered, { ...chairOptions(pki.chair), privateKey: undefined, signer }))).toBe('REMOTE_SIGNER_UNAVAILABLE');
		const elapsed = performance.now() - started;
		expect(elapsed).toBeGreaterThanOrEqual(290);
		expect(elapsed).toBeLessThan(5000);
	});

	it('stops reading an oversized answer', async () => {
		svc.misbehave = 'huge';
		expect(await refusal(openRemoteSigner({ url: svc.url, token: svc.token, maxResponseBytes: 16 * 1024 }))).toBe('REMOTE_SIGNER_INVALID');
	});

	it('refuses an answer that is not JSON, a server error, and a wrong bearer token', async () => {
		svc.misbehave = 'notJson';
		expect(await refusal(openRemoteSigner({ url: svc.url, token: svc.token }))).toBe('REMOTE_SIGNER_INVALID');
		svc.misbehave = 'serverError';
		expect(await refusal(openRemoteSigner({ url: svc.url, token: svc.token }))).toBe('REMOTE_SIGNER_UNAVAILABLE');
		svc.misbehave = 'none';
		expect(await refusal(openRemoteSigner({ url: svc.url, token: 'sai' }))).toBe('REMOTE_SIGNER_REFUSED');
	});

	it('refuses plain HTTP to another machine, and credentials in the URL', () => {
		expect(() => remoteSignerUrl('http://ky.example.vn/v1')).toThrow(/HTTPS is required/);
		expect(() => remoteSignerUrl('https://a:b@ky.example.vn/v1')).toThrow(/bearer token/);
		expect(remoteSignerUrl('https://ky.example.vn/v1').href).toBe('https://ky.example.vn/v1');
		expect(remoteSignerUrl('http://127.0.0.1:9/v1').protocol).toBe('http:');
	});
});
