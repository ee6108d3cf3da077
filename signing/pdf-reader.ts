/**
 * Read access to the objects of an existing PDF, for building an incremental update.
 *
 * Fast path (files whose cross-reference sections are all classic tables, which is what
 * `renderResolution` and our own signatures produce): follow the xref chain and parse only the
 * handful of objects that signing touches (catalog, AcroForm, the field, its page). Loading the
 * whole file with pdf-lib costs more than everything else in signing together.
 * Fallback (xref streams, hybrid files): pdf-lib's full parser.
 */
import { EncryptedPDFError, PDFArray, PDFContext, PDFDict, PDFDocument, PDFName, PDFObjectParser, PDFRef, type PDFObject } from 'pdf-lib';
import { SigningError } from './errors.js';
import { latin1, type PdfTail } from './pdf-tail.js';

export interface PdfReader {
	context: PDFContext;
	rootRef: PDFRef;
	infoRef?: PDFRef;
	id?: PDFArray;
	/** Follows a reference (loading the object if needed); other values are returned as they are. */
	resolve(value: PDFObject | undefined): PDFObject | undefined;
}

export function resolveDict(r: PdfReader, v: PDFObject | undefined): PDFDict | undefined {
	const o = r.resolve(v);
	return o instanceof PDFDict ? o : undefined;
}

export function resolveArray(r: PdfReader, v: PDFObject | undefined): PDFArray | undefined {
	const o = r.resolve(v);
	return o instanceof PDFArray ? o : undefined;
}

type XrefEntry = { offset: number; gen: number } | null; // null = free

/** Parses the chain of classic xref tables; null when a stream section is involved. */
function readClassicXref(
	bytes: Uint8Array,
	startxref: number,
	ctx: PDFContext
): { entries: Map<number, XrefEntry>; trailer: PDFDict } | null {
	const entries = new Map<number, XrefEntry>();
	let newest: PDFDict | undefined;
	const seen = new Set<number>();
	let at: number | undefined = startxref;
	while (at !== undefined) {
		if (seen.has(at) || seen.size > 64 || at < 0 || at >= bytes.length) throw new SigningError('MALFORMED_PDF', 'broken /Prev chain');
		seen.add(at);
		const head = latin1(bytes, at, Math.min(bytes.length, at + 8));
		if (!head.startsWith('xref')) return null;
		const text = latin1(bytes, at + 4, Math.min(bytes.length, at + 4 + 32 * 1024 * 1024));
		const t = text.indexOf('trailer');
		if (t < 0) throw new SigningError('MALFORMED_PDF', 'xref table without trailer');
		const tokens = text.slice(0, t).trim().split(/\s+/);
		for (let i = 0; i + 1 < tokens.length;) {
			const start = Number(tokens[i]);
			const count = Number(tokens[i + 1]);
			i += 2;
			if (!Number.isInteger(start) || !Number.isInteger(count) || count < 0 || i + count * 3 > tokens.length) {
				throw new SigningError('MALFORMED_PDF', 'bad xref subsection');
			}
			for (let k = 0; k < count; k++, i += 3) {
				const num = start + k;
				if (entries.has(num)) continue; // a newer section already defines it
				entries.set(num, tokens[i + 2] === 'n' ? { offset: Number(tokens[i]), gen: Number(tokens[i + 1]) } : null);
			}
		}
		const trailer = PDFObjectParser.forBytes(bytes.subarray(at + 4 + t + 'trailer'.length), ctx).parseObject();
		if (!(trailer instanceof PDFDict)) throw new SigningError('MALFORMED_PDF', 'trailer is not a dictionary');
		if (trailer.has(PDFName.of('XRefStm'))) return null; // hybrid file: let pdf-lib handle it
		newest ??= trailer;
		const prev = trailer.get(PDFName.of('Prev'));
		at = prev === undefined ? undefined : Number(prev.toString());
	}
	return newest ? { entries, trailer: newest } : null;
}

function classicReader(bytes: Uint8Array, tail: PdfTail): PdfReader | null {
	const context = PDFContext.create();
	const xref = readClassicXref(bytes, tail.startxref, context);
	if (!xref) return null;
	const { entries, trailer } = xref;
	if (trailer.has(PDFName.of('Encrypt'))) throw new SigningError('ENCRYPTED_PDF');
	const load = (ref: PDFRef): PDFObject | undefined => {
		const known = context.lookup(ref);
		if (known) return known;
		const e = entries.get(ref.objectNumber);
		if (!e || e.gen !== ref.generationNumber) return undefined;
		const header = /^(\d{1,10})\s+(\d{1,5})\s+obj\b/.exec(latin1(bytes, e.offset, Math.min(bytes.length, e.offset + 32)));
		if (!header || Number(header[1]) !== ref.objectNumber)
			throw new SigningError('MALFORMED_PDF', `xref offset of object ${ref.objectNumber} is wrong`);
		const obj = PDFObjectParser.forBytes(bytes.subarray(e.offset + header[0].length), context).parseObject();
		context.assign(ref, obj);
		return obj;
	};
	const root = trailer.get(PDFName.of('Root'));
	if (!(root instanceof PDFRef)) throw new SigningError('MALFORMED_PDF', 'no /Root');
	const info = trailer.get(PDFName.of('Info'));
	const id = trailer.get(PDFName.of('ID'));
	// Only the trailer /Size bounds the numbers in use; new objects are numbered from there.
	context.largestObjectNumber = tail.size - 1;
	return {
		context,
		rootRef: root,
		infoRef: info instanceof PDFRef ? info : undefined,
		id: id instanceof PDFArray ? id : undefined,
		resolve: (v) => (v instanceof PDFRef ? load(v) : v)
	};
}

async function fullReader(bytes: Uint8Array, tail: PdfTail): Promise<PdfReader> {
	let doc: PDFDocument;
	try {
		doc = await PDFDocument.load(bytes, { updateMetadata: false });
	} catch (e) {
		if (e instanceof EncryptedPDFError) throw new SigningError('ENCRYPTED_PDF', undefined, { cause: e });
		throw new SigningError('MALFORMED_PDF', e instanceof Error ? e.message : String(e), { cause: e });
	}
	const ctx = doc.context;
	ctx.largestObjectNumber = Math.max(ctx.largestObjectNumber, tail.size - 1);
	const { Root, Info, ID } = ctx.trailerInfo;
	if (!(Root instanceof PDFRef)) throw new SigningError('MALFORMED_PDF', 'no /Root');
	return {
		context: ctx,
		rootRef: Root,
		infoRef: Info instanceof PDFRef ? Info : undefined,
		id: ID instanceof PDFArray ? ID : undefined,
		resolve: (v) => (v instanceof PDFRef ? ctx.lookup(v) : v)
	};
}

export async function openPdf(bytes: Uint8Array, tail: PdfTail): Promise<PdfReader> {
	let fast: PdfReader | null = null;
	if (tail.xrefKind === 'table') {
		try {
			fast = classicReader(bytes, tail);
		} catch (e) {
			if (e instanceof SigningError && e.code === 'ENCRYPTED_PDF') throw e;
			fast = null; // damaged xref: pdf-lib's parser can often recover
		}
	}
	return fast ?? fullReader(bytes, tail);
}

/** Page references in order, walking /Pages → /Kids (depth- and count-limited). */
export function pageRefs(r: PdfReader): PDFRef[] {
	const out: PDFRef[] = [];
	const catalog = resolveDict(r, r.rootRef);
	const walk = (ref: PDFObject | undefined, depth: number) => {
		if (!(ref instanceof PDFRef) || depth > 32 || out.length > 100_000) return;
		const node = resolveDict(r, ref);
		if (!node) return;
		if (node.get(PDFName.of('Type')) === PDFName.of('Page')) out.push(ref);
		const kids = resolveArray(r, node.get(PDFName.of('Kids')));
		kids?.asArray().forEach((k) => walk(k, depth + 1));
	};
	walk(catalog?.get(PDFName.of('Pages')), 0);
	return out;
}
