/**
 * What the PDF worker threads run (./worker.ts). Plain data in and out: the main thread reads the database and
 * translates messages; these functions only look at bytes. Kept apart from the worker's message loop so they can
 * be called directly in unit tests.
 */
import { PDFDocument } from 'pdf-lib';
import { isSigningError, verifyPdf, type VerifyResult } from '../../../../signing/index';
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

/** Test only: occupies the worker for `ms` (a stand-in for a hostile file), to prove the time budget. */
export function spinJob(input: { ms: number }): { spunMs: number } {
	const end = Date.now() + input.ms;
	while (Date.now() < end) {
		// busy on purpose
	}
	return { spunMs: input.ms };
}

export const tasks = { verify: verifyJob, checkUpload: checkUploadJob, spin: spinJob };
export type TaskName = keyof typeof tasks;
export type TaskInput<K extends TaskName> = Parameters<(typeof tasks)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof tasks)[K]>>;
