import crypto from 'node:crypto';
import { SigningError } from './errors.js';
import { appendIncrementalUpdate, type TrailerRefs, type UpdateObject } from './incremental.js';
import type { PdfTail } from './pdf-tail.js';

/** Where /ByteRange goes once the offsets are known: room for the offsets of any file we accept. */
const BYTE_RANGE_PLACEHOLDER = `[0 0 0 0${' '.repeat(36)}]`;

/**
 * Appends `objects` and a signature dictionary as one incremental update, then writes the dictionary's /ByteRange
 * (the whole file but its /Contents) and fills /Contents with `sign(SHA-256 of those bytes)`. The one way a
 * person's signature (pades.ts) and a document timestamp (doc-timestamp.ts) are written: the dictionary is written
 * by hand (`head` ends with "/ByteRange ") so that the offsets of both entries are known.
 */
export async function appendSignedRevision(
	pdf: Uint8Array,
	tail: PdfTail,
	objects: UpdateObject[],
	signature: { objectNumber: number; head: string; contentsBytes: number },
	trailer: TrailerRefs,
	sign: (digest: Buffer) => Promise<Uint8Array>
): Promise<Uint8Array> {
	const body = `${signature.head}${BYTE_RANGE_PLACEHOLDER}\n/Contents <${'0'.repeat(signature.contentsBytes * 2)}>\n>>`;
	const all = [...objects, { objectNumber: signature.objectNumber, generation: 0, body: Buffer.from(body, 'latin1') }].sort((a, b) => a.objectNumber - b.objectNumber);
	const update = appendIncrementalUpdate(pdf, tail, all, trailer);
	const out = update.bytes as Buffer;

	const brStart = update.bodyOffsets.get(signature.objectNumber)! + signature.head.length;
	const contentsStart = brStart + BYTE_RANGE_PLACEHOLDER.length + '\n/Contents '.length; // at '<'
	const contentsEnd = contentsStart + signature.contentsBytes * 2 + 2; // after '>'
	const byteRange = [0, contentsStart, contentsEnd, out.length - contentsEnd];
	out.write(`[${byteRange.join(' ')}`.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', brStart, 'latin1');

	const digest = crypto.createHash('sha256').update(out.subarray(0, contentsStart)).update(out.subarray(contentsEnd)).digest();
	const contents = await sign(digest);
	if (contents.length > signature.contentsBytes) throw new SigningError('SIGNATURE_TOO_LARGE', `${contents.length} > ${signature.contentsBytes}`);
	out.write(Buffer.from(contents).toString('hex'), contentsStart + 1, 'latin1');
	return new Uint8Array(out.buffer, out.byteOffset, out.length);
}
