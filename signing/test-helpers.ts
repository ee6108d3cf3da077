/**
 * Shared set-up for the signing tests: a throw-away council CA, two signers, a rendered and a
 * twice-signed resolution, and thin wrappers around the poppler/qpdf/openssl/NSS command lines.
 * Not used in production code.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isSigningError } from './errors.js';
import { sampleResolution } from './fixtures.js';
import { signPdf, type SignPdfOptions } from './pades.js';
import { certificateToPem, createRootCa, issuePersonCertificate, type SigningIdentity } from './pki.js';
import { renderResolution } from './render.js';

/*
 * Every date here is relative to the moment the tests run: pdfsig and `openssl cms -verify` judge a
 * certificate against today's date, so fixed validity dates would make the suite fail once they pass
 * (issue 21; `signing/clock-2030.test.ts` runs these tests with the clock four years ahead).
 */
export const DAY_MS = 86_400_000;
/** The run's "now", fixed once so that every fixture agrees with every other. */
export const FIXTURE_NOW = Date.now();

/** `ms`'s UTC day at hh:mm UTC. */
function atUtc(ms: number, hours: number, minutes: number): Date {
	const d = new Date(ms);
	d.setUTCHours(hours, minutes, 0, 0);
	return d;
}

// A week before the run, at a fixed time of day so that appearances and reports are predictable.
export const SIGNED_AT_CHAIR = atUtc(FIXTURE_NOW - 7 * DAY_MS, 2, 30); // 09:30 in Vietnam
export const SIGNED_AT_ORG = atUtc(FIXTURE_NOW - 7 * DAY_MS, 3, 5); // 10:05 in Vietnam, the same day

/**
 * The signing day as written in Vietnam (UTC+7; 02:30 and 03:05 UTC fall on the same calendar day
 * there), computed here rather than with `vn-time.ts` so the tests do not check the code with itself.
 */
export const SIGNED_ON = {
	yyyy: String(SIGNED_AT_CHAIR.getUTCFullYear()),
	mm: String(SIGNED_AT_CHAIR.getUTCMonth() + 1).padStart(2, '0'),
	dd: String(SIGNED_AT_CHAIR.getUTCDate()).padStart(2, '0')
};

/** Validity of the signers' certificates: from before the signing times until well after the run. */
export const CERT_VALID_FROM = new Date(FIXTURE_NOW - 30 * DAY_MS);
export const CERT_VALID_TO = new Date(FIXTURE_NOW + 5 * 365 * DAY_MS);

/** The SigningError code `fn` throws, or undefined when it returns; any other error is thrown on. */
export function codeOf(fn: () => unknown): string | undefined {
	try {
		fn();
	} catch (e) {
		if (isSigningError(e)) return e.code;
		throw e;
	}
	return undefined;
}

export function tmpDir(prefix = 'nts-sign-'): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function run(cmd: string, args: string[], opts: { input?: Uint8Array } = {}) {
	const r = spawnSync(cmd, args, {
		encoding: 'utf8',
		input: opts.input as Buffer | undefined,
		maxBuffer: 64 * 1024 * 1024
	});
	if (r.error) throw new Error(`${cmd} could not be run (apt-get install -y poppler-utils qpdf openssl libnss3-tools): ${r.error.message}`);
	return {
		status: r.status,
		stdout: r.stdout,
		stderr: r.stderr,
		out: `${r.stdout}\n${r.stderr}`
	};
}

/** A council CA with the chair's and the clerk's certificates; `crlUrl` names a CRL in each certificate it issues. */
export function makePki(opts: { crlUrl?: string } = {}) {
	const ca = createRootCa({
		commonName: 'CA HĐND TP.HCM (thử nghiệm)',
		organization: 'HĐND Thành phố Hồ Chí Minh',
		validYears: 10,
		// The root is older than the certificates it issues, and outlives them.
		validFrom: new Date(FIXTURE_NOW - 60 * DAY_MS)
	});
	const validity = { validFrom: CERT_VALID_FROM, validTo: CERT_VALID_TO, crlUrl: opts.crlUrl };
	const chair = issuePersonCertificate(ca, {
		commonName: 'Nguyễn Thị Ánh Hồng',
		title: 'Chủ tịch HĐND phường',
		organization: 'HĐND phường Bến Thành',
		...validity
	});
	const org = issuePersonCertificate(ca, {
		commonName: 'Hội đồng nhân dân phường Bến Thành',
		organization: 'HĐND phường Bến Thành',
		...validity
	});
	return { ca, chair, org, caPem: certificateToPem(ca.certificate) };
}

export function chairOptions(id: SigningIdentity, overrides: Partial<SignPdfOptions> = {}): SignPdfOptions {
	return {
		fieldName: 'sig_chair',
		privateKey: id.privateKey,
		certificate: id.certificate,
		chain: id.chain,
		signerName: 'Nguyễn Thị Ánh Hồng',
		signerTitle: 'Chủ tịch HĐND phường',
		organization: 'HĐND phường Bến Thành',
		reason: 'Ký ban hành Nghị quyết số 05/2026/NQ-HĐND',
		location: 'Phường Bến Thành, TP. Hồ Chí Minh',
		signingTime: SIGNED_AT_CHAIR,
		...overrides
	};
}

export function orgOptions(id: SigningIdentity, overrides: Partial<SignPdfOptions> = {}): SignPdfOptions {
	return {
		fieldName: 'sig_org',
		privateKey: id.privateKey,
		certificate: id.certificate,
		chain: id.chain,
		signerName: 'Hội đồng nhân dân phường Bến Thành',
		signerTitle: 'Văn thư: Trần Văn Bình',
		organization: 'TP. Hồ Chí Minh',
		signingTime: SIGNED_AT_ORG,
		...overrides
	};
}

/** Rendered (revision 1), chair-signed (revision 2) and sealed (revision 3) resolution. */
export async function makeSignedResolution() {
	const pki = makePki();
	const rendered = await renderResolution(sampleResolution());
	const chairSigned = await signPdf(rendered, chairOptions(pki.chair));
	const sealed = await signPdf(chairSigned, orgOptions(pki.org));
	return { pki, rendered, chairSigned, sealed };
}

/** A temporary NSS database that trusts `caPem`, for `pdfsig -nssdir`. */
export function nssDbTrusting(caPem: string): string {
	const dir = tmpDir('nts-nss-');
	const caFile = path.join(dir, 'ca.pem');
	fs.writeFileSync(caFile, caPem);
	const n = run('certutil', ['-N', '--empty-password', '-d', `sql:${dir}`]);
	if (n.status !== 0) throw new Error(`certutil -N failed: ${n.out}`);
	const a = run('certutil', ['-A', '-n', 'ca', '-t', 'CT,C,C', '-i', caFile, '-d', `sql:${dir}`]);
	if (a.status !== 0) throw new Error(`certutil -A failed: ${a.out}`);
	return dir;
}

export function writeTmp(dir: string, name: string, bytes: Uint8Array | string): string {
	const p = path.join(dir, name);
	fs.writeFileSync(p, bytes);
	return p;
}

/** pdfsig's per-signature blocks, in file order. */
export function pdfsigBlocks(output: string): string[] {
	return output.split(/^Signature #\d+:/m).slice(1);
}

/** `openssl cms -verify -cades` of one detached CMS (DER file) over a content file, trusting `caFile`. */
export function opensslCmsVerify(cmsFile: string, contentFile: string, caFile: string) {
	return run('openssl', ['cms', '-verify', '-binary', '-cades', '-inform', 'DER', '-in', cmsFile, '-content', contentFile, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null']);
}

/** The CMS (trimmed of its zero padding) and the covered bytes of every signature. */
export function extractSignatures(pdf: Uint8Array): { cms: Buffer; signed: Buffer; byteRange: number[] }[] {
	const s = Buffer.from(pdf).toString('latin1');
	const out: { cms: Buffer; signed: Buffer; byteRange: number[] }[] = [];
	for (const m of s.matchAll(/\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g)) {
		const [a, b, c, d] = m.slice(1).map(Number);
		const padded = Buffer.from(s.slice(b + 1, c - 1), 'hex');
		// Outer DER length: 0x30 0x82 hi lo for anything between 256 and 65535 bytes.
		const len = padded[1] === 0x82 ? 4 + padded.readUInt16BE(2) : padded[1] === 0x83 ? 5 + padded.readUIntBE(2, 3) : 2 + padded[1];
		out.push({
			cms: padded.subarray(0, len),
			signed: Buffer.concat([Buffer.from(pdf.subarray(a, b)), Buffer.from(pdf.subarray(c, c + d))]),
			byteRange: [a, b, c, d]
		});
	}
	return out;
}
