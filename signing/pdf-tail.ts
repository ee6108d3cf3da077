/**
 * Reads what an incremental update needs from the end of a PDF: where the last cross-reference
 * section is, whether it is a table or a stream, and the trailer /Size. Plain byte scanning with
 * bounded regular expressions, so hostile files cannot make it slow.
 */
import { SigningError } from './errors.js';

export interface PdfTail {
	/** Offset of the last cross-reference section (the value after `startxref`). */
	startxref: number;
	xrefKind: 'table' | 'stream';
	/** /Size of the last trailer (or xref stream dictionary). */
	size: number;
}

export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.max(0, end - start)).toString('latin1');
}

export function assertPdfHeader(bytes: Uint8Array): void {
	// The header may be preceded by junk, but within the first KB (as Acrobat accepts).
	if (bytes.length < 16 || !latin1(bytes, 0, Math.min(1024, bytes.length)).includes('%PDF-')) {
		throw new SigningError('NOT_A_PDF');
	}
}

export function readTail(bytes: Uint8Array): PdfTail {
	assertPdfHeader(bytes);
	const tailStart = Math.max(0, bytes.length - 2048);
	const tail = latin1(bytes, tailStart);
	const eof = tail.lastIndexOf('%%EOF');
	if (eof < 0) throw new SigningError('TRUNCATED_PDF', 'no %%EOF at the end');
	const sx = tail.lastIndexOf('startxref', eof);
	const m = sx < 0 ? null : /^startxref\s+(\d{1,12})\s/.exec(tail.slice(sx, eof));
	if (!m) throw new SigningError('MALFORMED_PDF', 'no startxref');
	const startxref = Number(m[1]);
	if (startxref >= bytes.length) throw new SigningError('TRUNCATED_PDF', 'startxref beyond end of file');

	const head = latin1(bytes, startxref, Math.min(bytes.length, startxref + 64));
	if (/^xref\s/.test(head)) {
		const rest = latin1(bytes, startxref, Math.min(bytes.length, startxref + 4 * 1024 * 1024));
		const t = rest.indexOf('trailer');
		const size = t < 0 ? null : /\/Size\s+(\d{1,10})/.exec(rest.slice(t, t + 4096));
		if (!size) throw new SigningError('MALFORMED_PDF', 'no trailer /Size');
		return { startxref, xrefKind: 'table', size: Number(size[1]) };
	}
	if (/^\d{1,10}\s+\d{1,5}\s+obj\b/.test(head)) {
		const dict = latin1(bytes, startxref, Math.min(bytes.length, startxref + 4096));
		const end = dict.indexOf('stream');
		const size = /\/Size\s+(\d{1,10})/.exec(dict.slice(0, end < 0 ? undefined : end));
		if (!/\/Type\s*\/XRef/.test(dict) || !size) throw new SigningError('MALFORMED_PDF', 'startxref does not point at an xref stream');
		return { startxref, xrefKind: 'stream', size: Number(size[1]) };
	}
	throw new SigningError('MALFORMED_PDF', 'startxref does not point at a cross-reference section');
}
