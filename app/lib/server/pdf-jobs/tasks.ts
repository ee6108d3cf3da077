/**
 * What the PDF worker threads run (./worker.ts). Plain data in and out: the main thread reads the database and
 * translates messages; these functions only look at bytes. Kept apart from the worker's message loop so they can
 * be called directly in unit tests.
 */
import { PDFDocument } from 'pdf-lib';
import crypto from 'node:crypto';
import { certificateFromDer, certificateToDer, fromPkcs12, isSigningError, toPkcs12, verifyPdf, type VerifyResult } from '../../../../signing/index';
import { scanInflation, INFLATION_LIMITS } from './inflation';

export interface VerifyJobInput {
	bytes: Uint8Array;
	/** DER of the councils' CA certificates. */
	trustedRoots: Uint8Array[];
	revokedSerials: string[];
	maxBytes: number;
}

export type VerifyJobOutput = { ok: true; result: VerifyResult } | { ok: false; code: string };

/** verifyPdf, with its refusals as codes (an Error's class does not survive the trip between threads). */
export function verifyJob(input: VerifyJobInput): VerifyJobOutput {
	try {
		return { ok: true, result: verifyPdf(input.bytes, { trustedRoots: input.trustedRoots, revokedSerials: input.revokedSerials, maxBytes: input.maxBytes }) };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'MALFORMED_PDF' };
	}
}

export type UploadCheck =
	| { ok: true; pages: number }
	| { ok: false; reason: 'notPdf' }
	| { ok: false; reason: 'inflation'; limitBytes: number }
	| { ok: false; reason: 'unmeasurable' };

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/**
 * An uploaded document: `%PDF-`, then the bounded inflation scan, and only then pdf-lib (which inflates object
 * streams without any limit), which must find at least one page. Encrypted PDFs are accepted: readers open them.
 */
export async function checkUploadJob(input: { bytes: Uint8Array }): Promise<UploadCheck> {
	const { bytes } = input;
	if (bytes.length < PDF_MAGIC.length || !Buffer.from(bytes.subarray(0, PDF_MAGIC.length)).equals(PDF_MAGIC)) return { ok: false, reason: 'notPdf' };
	const scan = await scanInflation(bytes, INFLATION_LIMITS);
	if (!scan.ok) return scan.reason === 'tooLarge' ? { ok: false, reason: 'inflation', limitBytes: scan.limitBytes } : { ok: false, reason: 'unmeasurable' };
	let pages = 0;
	try {
		const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
		// pdf-lib is lenient: a header followed by garbage "loads" as an empty document. A paper has pages.
		pages = doc.getPageCount();
	} catch {
		pages = 0;
	}
	return pages < 1 ? { ok: false, reason: 'notPdf' } : { ok: true, pages };
}

/** A signing key and its certificates as plain bytes (a KeyObject and forge objects do not cross threads as they are). */
export interface KeyMaterial {
	/** PKCS#8 DER of the private key. */
	key: Uint8Array;
	/** DER: the signer's certificate first, then its chain. */
	certificates: Uint8Array[];
}

/**
 * Opens a stored PKCS#12 (600,000 PBKDF2 iterations and as many for its MAC: about half a second of CPU, which
 * must not hold the event loop); a wrong passphrase comes back as its code.
 */
export function unlockKeyJob(input: { p12: Uint8Array; passphrase: string }): { ok: true; material: KeyMaterial } | { ok: false; code: string } {
	try {
		const id = fromPkcs12(input.p12, input.passphrase);
		const material = {
			key: new Uint8Array(id.privateKey.export({ type: 'pkcs8', format: 'der' })),
			certificates: [id.certificate, ...id.chain].map((c) => new Uint8Array(certificateToDer(c)))
		};
		return { ok: true, material };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'INVALID_PKCS12' };
	}
}

/** Writes a PKCS#12 under `passphrase` (the same key derivation cost as opening one). */
export function lockKeyJob(input: { material: KeyMaterial; passphrase: string }): Uint8Array {
	const key = crypto.createPrivateKey({ key: Buffer.from(input.material.key), format: 'der', type: 'pkcs8' });
	return toPkcs12(key, input.material.certificates.map((c) => certificateFromDer(c)), input.passphrase);
}

/** Test only: occupies the worker for `ms` (a stand-in for a hostile file), to prove the time budget. */
export function spinJob(input: { ms: number }): { spunMs: number } {
	const end = Date.now() + input.ms;
	while (Date.now() < end) {
		// busy on purpose
	}
	return { spunMs: input.ms };
}

export const tasks = { verify: verifyJob, checkUpload: checkUploadJob, unlockKey: unlockKeyJob, lockKey: lockKeyJob, spin: spinJob };
export type TaskName = keyof typeof tasks;
export type TaskInput<K extends TaskName> = Parameters<(typeof tasks)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof tasks)[K]>>;
