/**
 * Signing with a key that never leaves a PKCS#11 token, for real: a fresh SoftHSM2 token per run, the key pair
 * generated on it, the council CA certifying its public key, a resolution signed through the app's token worker
 * (app/lib/server/pdf-jobs/tokens.ts) and checked by our verifier, pdfsig (NSS), openssl cms and pyHanko.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PDF_WORKER, type PdfTasks } from '../app/lib/server/pdf-jobs/pool';
import { runTokenJob } from '../app/lib/server/pdf-jobs/tokens';
import { WorkerPool } from '../app/lib/server/worker-pool/pool';
import { createSoftHsmToken, type SoftHsmToken } from '../tests/helpers/softhsm';
import { isSigningError } from './errors.js';
import { sampleResolution } from './fixtures.js';
import { messages } from './messages.js';
import { signPdf } from './pades.js';
import { issueCertificateForKey } from './pki.js';
import { renderResolution } from './render.js';
import { pkcs11Signer, type Pkcs11Location } from './signer-pkcs11.js';
import {
	CERT_VALID_FROM,
	CERT_VALID_TO,
	chairOptions,
	extractSignatures,
	makePki,
	nssDbTrusting,
	opensslCmsVerify,
	orgOptions,
	pdfsigBlocks,
	run,
	tmpDir,
	writeTmp
} from './test-helpers.js';
import { verifyPdf } from './verify.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');

let token: SoftHsmToken;
let pool: WorkerPool<PdfTasks>;
let location: Pkcs11Location;
let spki: Uint8Array;
let pki: ReturnType<typeof makePki>;
let sealed: Uint8Array;
let dir: string;

beforeAll(async () => {
	token = createSoftHsmToken();
	pool = new WorkerPool<PdfTasks>({ worker: PDF_WORKER, size: 1, timeoutMs: 30_000 });
	location = { module: token.module, tokenLabel: token.tokenLabel, keyLabel: 'ky-nghi-quyet' };
	spki = await runTokenJob('tokenGenerate', { location, pin: token.pin }, pool);
	pki = makePki();
	const { certificate, chain } = issueCertificateForKey(pki.ca, spki, {
		commonName: 'Nguyễn Thị Ánh Hồng',
		title: 'Chủ tịch HĐND phường',
		organization: 'HĐND phường Bến Thành',
		validFrom: CERT_VALID_FROM,
		validTo: CERT_VALID_TO
	});
	const signer = pkcs11Signer({ certificate, chain, sign: (data) => runTokenJob('tokenSign', { location, pin: token.pin, data }, pool) });
	const rendered = await renderResolution(sampleResolution());
	const chairOpts = { ...chairOptions(pki.chair), privateKey: undefined, certificate: undefined, chain: undefined, signer };
	const chairSigned = await signPdf(rendered, chairOpts);
	// The clerk's seal is still the server-held key: both signers in one document.
	sealed = await signPdf(chairSigned, orgOptions(pki.org));
	dir = tmpDir('nts-pkcs11-');
}, 60_000);

afterAll(async () => {
	await pool?.close();
	token?.dispose();
});

describe('a PKCS#11 token (SoftHSM2) as the chair’s signer', () => {
	it('generated the key on the token: sensitive, not extractable, its value refused', async () => {
		const p = await runTokenJob('tokenProtection', { location, pin: token.pin }, pool);
		expect(p).toEqual({ sensitive: true, extractable: false, valueRefused: true });
		// The public key the token reports now is the one the certificate was issued for.
		expect(Buffer.from(await runTokenJob('tokenPublicKey', { location, pin: token.pin }, pool)).equals(Buffer.from(spki))).toBe(true);
	});

	it('signs a resolution that our verifier finds intact and trusted', () => {
		const v = verifyPdf(sealed, { trustedRoots: [pki.caPem] });
		expect(v.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems])).toEqual([
			['sig_chair', true, true, []],
			['sig_org', true, true, []]
		]);
		expect(v.modifications).toEqual([]);
		expect(v.signatures[0].certificate?.subject).toContain('Nguyễn Thị Ánh Hồng');
	});

	it('pdfsig (NSS) reports the token’s signature valid and trusted', () => {
		const nss = nssDbTrusting(pki.caPem);
		const r = run('pdfsig', ['-nssdir', `sql:${nss}`, writeTmp(dir, 'token.pdf', sealed)]);
		const [chair] = pdfsigBlocks(r.stdout);
		expect(chair, r.out).toContain('Signature Field Name: sig_chair');
		expect(chair).toContain('Signature Validation: Signature is Valid.');
		expect(chair).toContain('Certificate Validation: Certificate is Trusted.');
		expect(chair).toContain('Signing Hash Algorithm: SHA-256');
	});

	it('openssl cms -verify -cades accepts its CMS', () => {
		const [sig] = extractSignatures(sealed);
		const r = opensslCmsVerify(writeTmp(dir, 'chair.der', sig.cms), writeTmp(dir, 'chair.bin', sig.signed), writeTmp(dir, 'ca.pem', pki.caPem));
		expect(r.status, r.out).toBe(0);
	});

	it('pyHanko finds it intact, valid and trusted', () => {
		expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
		const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/validate.py'), writeTmp(dir, 'token-py.pdf', sealed), writeTmp(dir, 'ca-py.pem', pki.caPem)]);
		expect(r.status, r.out).toBe(0);
		const sigs = (JSON.parse(r.stdout) as { signatures: { field: string; intact: boolean; valid: boolean; trusted: boolean }[] }).signatures;
		expect(sigs.map((s) => [s.field, s.intact, s.valid, s.trusted])).toEqual([
			['sig_chair', true, true, true],
			['sig_org', true, true, true]
		]);
	});

	it('refuses a wrong PIN with a Vietnamese message, and signs nothing', async () => {
		const err = await runTokenJob('tokenSign', { location, pin: '000000', data: new Uint8Array([1, 2, 3]) }, pool).catch((e: unknown) => e);
		expect(isSigningError(err, 'WRONG_PIN')).toBe(true);
		expect(messages.vi.WRONG_PIN).toBe('Mã PIN của thiết bị ký số (token) không đúng.');
	});

	it('refuses a token or a key that is not there', async () => {
		const noToken = await runTokenJob('tokenSign', { location: { ...location, tokenLabel: 'khong-co' }, pin: token.pin, data: new Uint8Array([1]) }, pool).catch((e: unknown) => e);
		expect(isSigningError(noToken, 'TOKEN_NOT_FOUND')).toBe(true);
		const noKey = await runTokenJob('tokenSign', { location: { ...location, keyLabel: 'khong-co' }, pin: token.pin, data: new Uint8Array([1]) }, pool).catch((e: unknown) => e);
		expect(isSigningError(noKey, 'TOKEN_NOT_FOUND')).toBe(true);
	});

	it('refuses a signature from another key before it reaches the document', async () => {
		// A signer whose certificate is not the token's: the token signs, the check against the certificate refuses.
		const signer = pkcs11Signer({ certificate: pki.chair.certificate, chain: pki.chair.chain, sign: (data) => runTokenJob('tokenSign', { location, pin: token.pin, data }, pool) });
		const rendered = await renderResolution(sampleResolution());
		const err = await signPdf(rendered, { ...chairOptions(pki.chair), privateKey: undefined, signer }).catch((e: unknown) => e);
		expect(isSigningError(err, 'SIGNER_BAD_SIGNATURE')).toBe(true);
	});
});
