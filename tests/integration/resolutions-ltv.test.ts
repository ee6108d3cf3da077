import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getCrl } from '../../app/routes/api/verify/crl/[councilId=uuid].crl/+server';
import { councilCrl, CRL_VALIDITY_MS, revokeSigningIdentity } from '../../app/lib/server/resolutions/crl';
import { crlUrl } from '../../app/lib/server/resolutions/origin';
import { councilCaPem } from '../../app/lib/server/resolutions/pki';
import { verifyDocument } from '../../app/lib/server/resolutions/verify';
import { cmsCertificates, signatureContents } from '../../signing/dss';
import { certificateFromDer, certificateToPem } from '../../signing/index';
import { extractSignatures, run, tmpDir, writeTmp } from '../../signing/test-helpers';
import { adoptedResolution } from '../helpers/resolutions';
import { as, db } from '../helpers/callers';

// Issue 18 §2: an issued resolution is PAdES B-LTA — both signatures timestamped (B-T), a DSS with the chains and the
// CRLs after the seal (B-LT), then a document timestamp (B-LTA) — and pyHanko's AdES validation, with revocation
// checking required and no network, passes it on what the file carries. The CRLs are the ones the app serves.

process.env.CA_KEY_SECRET ??= 'test-ca-key-secret';

const ROOT = path.resolve(import.meta.dirname, '../..');
const PYTHON = path.join(ROOT, 'tools/pyhanko/venv/bin/python');
const PYHANKO = path.join(ROOT, 'tools/pyhanko/venv/bin/pyhanko');
const HOUR_MS = 3_600_000;

let dir: string;
let councilId: string;
let cityId: string;
let issued: Uint8Array;
let issuedFile: string;
let caFiles: string[];

async function fetchCrl(id: string) {
	const res = await getCrl({
		params: { councilId: id },
		locals: { locale: 'vi', user: null, sessionToken: null }
	} as unknown as Parameters<typeof getCrl>[0]);
	return {
		status: res.status,
		type: res.headers.get('content-type'),
		bytes: new Uint8Array(await res.arrayBuffer())
	};
}

function crlText(crl: Uint8Array, name: string, caFile: string) {
	return run('openssl', ['crl', '-inform', 'DER', '-in', writeTmp(dir, name, crl), '-noout', '-text', '-CAfile', caFile]);
}

/** The CMS of the two signatures (chair, clerk); the third signature field's /Contents is the document timestamp's token. */
const signatureCms = async () => (await signatureContents(issued)).slice(0, 2);

/** The leaf certificates of the issued PDF's signatures (chair, then clerk), PEM files. */
async function signerCertFiles(): Promise<string[]> {
	const all = (await signatureCms()).map((cms) => cmsCertificates(cms).map((d) => certificateFromDer(d)));
	return all.map((certs, i) =>
		writeTmp(
			dir,
			`signer${i}.pem`,
			certificateToPem(certs.find((c) => !c.getExtension('basicConstraints') || !(c.getExtension('basicConstraints') as { cA?: boolean }).cA)!)
		)
	);
}

beforeAll(async () => {
	const r = await adoptedResolution('Về hồ sơ kiểm chứng dài hạn');
	councilId = r.councilId;
	await r.chair.resolution.sign({
		resolutionId: r.resolutionId,
		passphrase: 'demo'
	});
	await (await as('clerk.26743')).resolution.seal({ resolutionId: r.resolutionId, passphrase: 'demo' });
	issued = (
		await db().selectFrom('resolution_revisions').select('pdf').where('resolution_id', '=', r.resolutionId).where('revision', '=', 2).executeTakeFirstOrThrow()
	).pdf;
	cityId = (await db().selectFrom('councils').select('id').where('kind', '=', 'city').orderBy('code').executeTakeFirstOrThrow()).id;
	dir = tmpDir('nts-ltv-');
	issuedFile = writeTmp(dir, 'issued.pdf', issued);
	caFiles = [];
	for (const id of [...new Set([councilId, cityId])]) caFiles.push(writeTmp(dir, `ca-${id}.pem`, (await councilCaPem(db(), id))!));
});

afterAll(() => {
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('an issued resolution, PAdES B-LTA', () => {
	it("the project's verifier: VALID, signing times from the timestamps, the claimed /M apart, and the document timestamp checked", async () => {
		const report = await verifyDocument(db(), issued);
		if (!report.ok) throw new Error(report.message);
		expect(report.verdict.code).toBe('VALID');
		expect(report.modifications).toEqual([]);
		expect(report.signatures.map((s) => [s.fieldName, s.intact, s.chainTrusted, s.problems])).toEqual([
			['sig_chair', true, true, []],
			['sig_org', true, true, []]
		]);
		for (const s of report.signatures) {
			expect(s.timestamp?.trusted).toBe(true);
			expect(s.signingTime).toBe(s.timestamp!.time);
			// /M has whole seconds; the token has milliseconds and comes after the signature it stamps.
			expect(new Date(s.timestamp!.time).getTime()).toBeGreaterThanOrEqual(new Date(s.claimedTime!).getTime());
		}
		expect(report.documentTimestamps).toHaveLength(1);
		const [doc] = report.documentTimestamps;
		expect([doc.intact, doc.trusted, doc.coversWholeDocument, doc.problems]).toEqual([true, true, true, []]);
		expect(new Date(doc.time!).getTime()).toBeGreaterThanOrEqual(new Date(report.signatures[1].timestamp!.time).getTime());
		expect(Date.now() - new Date(doc.time!).getTime()).toBeLessThan(HOUR_MS);
	});

	it('pyHanko ades_lta_validation, revocation required, offline: PASSED for both signatures; the document timestamp valid', () => {
		expect(fs.existsSync(PYTHON), 'pyHanko is not installed: npm run pyhanko:install').toBe(true);
		const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/adesverify.py'), issuedFile, ...caFiles]);
		expect(r.status, r.out).toBe(0);
		const out = JSON.parse(r.stdout) as {
			signatures: {
				field: string;
				indication: string;
				subindication: string;
				bottom_line: boolean;
				oldest_evidence_record_timestamp: string | null;
			}[];
			document_timestamps: {
				field: string;
				valid: boolean;
				trusted: boolean;
				intact: boolean;
			}[];
		};
		expect(out.signatures.map((s) => [s.field, s.indication, s.subindication, s.bottom_line])).toEqual([
			['sig_chair', 'PASSED', 'OK', true],
			['sig_org', 'PASSED', 'OK', true]
		]);
		expect(out.signatures.every((s) => s.oldest_evidence_record_timestamp !== null)).toBe(true);
		expect(out.document_timestamps.map((t) => [t.intact, t.valid, t.trusted])).toEqual([[true, true, true]]);
	});

	it('`pyhanko sign adesverify` (the CLI, revocation checking on) judges both signatures VALID', () => {
		const r = run(PYHANKO, ['sign', 'adesverify', '--executive-summary', '--trust-replace', ...caFiles.flatMap((f) => ['--trust', f]), issuedFile]);
		expect(r.status, r.out).toBe(0);
		expect(
			r.stdout
				.trim()
				.split('\n')
				.map((l) => `${l.split(':')[0]}:${l.split(':').at(-1)}`)
		).toEqual(['sig_chair:VALID', 'sig_org:VALID']);
	});

	it('the B-T revision alone (before the DSS) fails the same check for want of revocation data: the test can fail', () => {
		// The file up to the end of the seal's signature: what the issued PDF was before its long-term updates.
		const s = Buffer.from(issued).toString('latin1');
		const eofs = [...s.matchAll(/%%EOF\r?\n?/g)].map((m) => m.index! + m[0].length);
		const sealOnly = writeTmp(dir, 'bt.pdf', issued.subarray(0, eofs.at(-3)));
		const r = run(PYTHON, [path.join(ROOT, 'tests/pdf-oracle/adesverify.py'), sealOnly, ...caFiles]);
		const out = JSON.parse(r.stdout) as {
			signatures: { indication: string }[];
			document_timestamps: unknown[];
		};
		expect(out.document_timestamps).toEqual([]);
		expect(out.signatures.map((x) => x.indication)).toEqual(['INDETERMINATE', 'INDETERMINATE']);
	});

	it('openssl ts -verify: the document timestamp stamps exactly the bytes its /ByteRange covers, under the city CA', () => {
		const [, , stamp] = extractSignatures(issued);
		const token = writeTmp(dir, 'doc-ts.der', stamp.cms);
		const covered = writeTmp(dir, 'doc-ts.bin', stamp.signed);
		const cityCa = caFiles[caFiles.length - 1];
		const ok = run('openssl', ['ts', '-verify', '-data', covered, '-in', token, '-token_in', '-CAfile', cityCa]);
		expect(ok.stdout.trim(), ok.out).toBe('Verification: OK');
		expect(stamp.byteRange[2] + stamp.byteRange[3]).toBe(issued.length);
		const other = Buffer.from(stamp.signed);
		other[other.length - 1] ^= 0x01;
		const bad = run('openssl', ['ts', '-verify', '-data', writeTmp(dir, 'doc-ts-other.bin', other), '-in', token, '-token_in', '-CAfile', cityCa]);
		expect(bad.stdout.trim()).not.toBe('Verification: OK');
	});

	it("every certificate the council CAs issued names its CA's CRL; the TSA's names the city CA's", async () => {
		expect((await signatureContents(issued)).length).toBe(3);
		const certs = (await signatureCms()).flatMap(cmsCertificates).map((d) => certificateFromDer(d));
		const leaves = certs.filter((c) => !(c.getExtension('basicConstraints') as { cA?: boolean } | undefined)?.cA);
		expect(leaves).toHaveLength(2);
		for (const [i, c] of leaves.entries()) {
			const t = run('openssl', ['x509', '-in', writeTmp(dir, `leaf${i}.pem`, certificateToPem(c)), '-noout', '-ext', 'crlDistributionPoints']);
			expect(t.stdout).toContain(`URI:${crlUrl(councilId)}`);
		}
		const tsaRow = await db().selectFrom('tsa_identities').select('certificate').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
		const tsaExt = run('openssl', [
			'x509',
			'-inform',
			'DER',
			'-in',
			writeTmp(dir, 'tsa.der', tsaRow.certificate),
			'-noout',
			'-ext',
			'crlDistributionPoints,extendedKeyUsage'
		]);
		expect(tsaExt.stdout).toContain(`URI:${crlUrl(cityId)}`);
		expect(tsaExt.stdout).toContain('Time Stamping');
	});
});

describe('GET /api/verify/crl/{councilId}.crl', () => {
	it("serves the council CA's CRL: public, DER, signed by that CA, valid for a week; the DSS carries the same list", async () => {
		const res = await fetchCrl(councilId);
		expect(res.status).toBe(200);
		expect(res.type).toBe('application/pkix-crl');
		const text = crlText(res.bytes, 'council.crl', caFiles[0]);
		expect(text.status, text.out).toBe(0);
		expect(text.out).toMatch(/verify OK/);
		const next = run('openssl', ['crl', '-inform', 'DER', '-in', path.join(dir, 'council.crl'), '-noout', '-nextupdate'])
			.stdout.replace('nextUpdate=', '')
			.trim();
		const left = new Date(next).getTime() - Date.now();
		expect(left).toBeGreaterThan(CRL_VALIDITY_MS - HOUR_MS);
		expect(left).toBeLessThanOrEqual(CRL_VALIDITY_MS);
		expect(text.stdout).toContain('No Revoked Certificates.');
		// The issued PDF embeds these very bytes (the list was issued at the seal and is still current).
		expect(Buffer.from(issued).includes(Buffer.from(res.bytes))).toBe(true);
		// The signers' certificates pass openssl's CRL check with it.
		const pem = writeTmp(dir, 'council.crl.pem', run('openssl', ['crl', '-inform', 'DER', '-in', path.join(dir, 'council.crl')]).stdout);
		for (const leaf of await signerCertFiles()) {
			const v = run('openssl', ['verify', '-crl_check', '-CAfile', caFiles[0], '-CRLfile', pem, leaf]);
			expect(v.status, v.out).toBe(0);
		}
	});

	it('answers 404 for a council without a CA', async () => {
		const refusal = await fetchCrl('00000000-0000-4000-8000-000000000000').then(
			() => null,
			(e: { status?: number }) => e
		);
		expect(refusal?.status).toBe(404);
	});

	it('is kept while fresh and reissued, with a higher number, once half its validity has passed', async () => {
		const now = new Date();
		const current = await councilCrl(db(), councilId, now);
		expect(Buffer.from((await councilCrl(db(), councilId, new Date(now.getTime() + CRL_VALIDITY_MS / 2 - HOUR_MS)))!).equals(Buffer.from(current!))).toBe(true);
		const later = new Date(now.getTime() + CRL_VALIDITY_MS / 2 + HOUR_MS);
		const renewed = (await councilCrl(db(), councilId, later))!;
		expect(Buffer.from(renewed).equals(Buffer.from(current!))).toBe(false);
		const number = (crl: Uint8Array, name: string) => /X509v3 CRL Number: \n\s+(\d+)/.exec(crlText(crl, name, caFiles[0]).stdout)?.[1];
		expect(Number(number(renewed, 'renewed.crl'))).toBe(Number(number(current!, 'current.crl')) + 1);
		const row = await db().selectFrom('council_crls').select(['this_update', 'next_update']).where('council_id', '=', councilId).executeTakeFirstOrThrow();
		expect(Math.abs(row.this_update.getTime() - later.getTime())).toBeLessThan(2000);
		expect(row.next_update.getTime() - row.this_update.getTime()).toBeGreaterThanOrEqual(CRL_VALIDITY_MS);
	});

	it('lists a revoked signing identity at once, and openssl then refuses that certificate', async () => {
		const chairRow = await db()
			.selectFrom('signing_identities')
			.select(['id', 'serial', 'certificate'])
			.where('council_id', '=', councilId)
			.where('kind', '=', 'person')
			.where('revoked_at', 'is', null)
			.executeTakeFirstOrThrow();
		const revoked = await revokeSigningIdentity(db(), {
			identityId: chairRow.id
		});
		expect(revoked?.serial).toBe(chairRow.serial);
		expect(await revokeSigningIdentity(db(), { identityId: chairRow.id })).toBeNull();
		const res = await fetchCrl(councilId);
		const text = crlText(res.bytes, 'revoked.crl', caFiles[0]);
		expect(text.stdout).toMatch(new RegExp(`Serial Number: 0*${chairRow.serial.toUpperCase()}\\n`));
		const pem = writeTmp(dir, 'revoked.crl.pem', run('openssl', ['crl', '-inform', 'DER', '-in', path.join(dir, 'revoked.crl')]).stdout);
		const leaf = writeTmp(dir, 'chair.pem', certificateToPem(certificateFromDer(chairRow.certificate)));
		const v = run('openssl', ['verify', '-crl_check', '-CAfile', caFiles[0], '-CRLfile', pem, leaf]);
		expect(v.status).not.toBe(0);
		expect(v.out).toMatch(/certificate revoked/);

		// The resolution was timestamped before the revocation: it still verifies (a chair's new certificate must not
		// void what they signed with the old one). A signature made after the revocation would not.
		const report = await verifyDocument(db(), issued);
		if (!report.ok) throw new Error(report.message);
		expect(report.verdict.code).toBe('VALID');
		expect(report.signatures.map((s) => [s.fieldName, s.problems])).toEqual([
			['sig_chair', []],
			['sig_org', []]
		]);
	});
});
