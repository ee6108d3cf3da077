/**
 * PAdES B-LT (ETSI EN 319 142-1 §5.4): a Document Security Store added in its own incremental update after the last
 * signature, holding what a validator needs years later without asking anyone — the certificates of every chain
 * (signers, CAs, the TSA) and the CRLs that say none of them was revoked. No /VRI: it is optional, and validators
 * search the whole store.
 *
 * The update changes only the catalog (its /DSS) and adds new objects, which is what verify.ts (modifications.ts)
 * and other validators allow after a signature.
 */
import crypto from 'node:crypto';
import { PDFArray, PDFHexString, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { children, expectTag, readTlv, TAG, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';
import { appendIncrementalUpdate, bytesOf, nextRevisionId, type UpdateObject } from './incremental.js';
import { openPdf, resolveArray, resolveDict } from './pdf-reader.js';
import { readTail } from './pdf-tail.js';

export interface DssContent {
	/** DER certificates; duplicates are stored once. */
	certs: Uint8Array[];
	/** DER CRLs; duplicates are stored once. */
	crls: Uint8Array[];
}

const N = (k: string) => PDFName.of(k);
const enc = (s: string) => Buffer.from(s, 'latin1');


/** An uncompressed stream object's body (DER is short and barely compressible). */
export function streamBody(data: Uint8Array): Uint8Array {
	return Buffer.concat([enc(`<< /Length ${data.length} >>\nstream\n`), data, enc('\nendstream')]);
}


function unique(items: Uint8Array[]): Uint8Array[] {
	const seen = new Set<string>();
	return items.filter((b) => {
		const k = crypto.createHash('sha256').update(b).digest('hex');
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
}

/** Appends a /DSS with `content` (merged with the arrays of a /DSS already there) in one incremental update. */
export async function addDss(pdf: Uint8Array, content: DssContent): Promise<Uint8Array> {
	const tail = readTail(pdf);
	const reader = await openPdf(pdf, tail);
	const ctx = reader.context;
	const catalog = resolveDict(reader, reader.rootRef);
	if (!catalog) throw new SigningError('MALFORMED_PDF', 'no catalog');
	const old = resolveDict(reader, catalog.get(N('DSS')));
	const objects: UpdateObject[] = [];
	const streams = (items: Uint8Array[], key: string): PDFArray => {
		const arr = ctx.obj([...(resolveArray(reader, old?.get(N(key)))?.asArray() ?? [])]) as PDFArray;
		for (const data of unique(items)) {
			const ref = ctx.nextRef();
			objects.push({
				objectNumber: ref.objectNumber,
				generation: 0,
				body: streamBody(data)
			});
			arr.push(ref);
		}
		return arr;
	};
	const dss = ctx.obj({ Type: 'DSS' });
	dss.set(N('Certs'), streams(content.certs, 'Certs'));
	dss.set(N('CRLs'), streams(content.crls, 'CRLs'));
	const dssRef = ctx.nextRef();
	objects.push({
		objectNumber: dssRef.objectNumber,
		generation: 0,
		body: bytesOf(dss)
	});
	catalog.set(N('DSS'), dssRef);
	objects.push({
		objectNumber: reader.rootRef.objectNumber,
		generation: reader.rootRef.generationNumber,
		body: bytesOf(catalog)
	});
	objects.sort((a, b) => a.objectNumber - b.objectNumber);
	const update = appendIncrementalUpdate(pdf, tail, objects, {
		root: String(reader.rootRef),
		info: reader.infoRef ? String(reader.infoRef) : undefined,
		id: nextRevisionId(reader, 'DSS')
	});
	const out = update.bytes as Buffer;
	return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The certificates carried in a CMS SignedData (DER ContentInfo, trailing zero padding allowed). */
export function cmsCertificates(cms: Uint8Array): Uint8Array[] {
	const ci = expectTag(readTlv(cms, 0), TAG.SEQUENCE, 'ContentInfo');
	const sd = expectTag(children(cms, expectTag(children(cms, ci)[1], TAG.CTX0, '[0] content'))[0], TAG.SEQUENCE, 'SignedData');
	const certSet = children(cms, sd).find((t) => t.tag === TAG.CTX0);
	return certSet
		? children(cms, certSet)
				.filter((c) => c.tag === TAG.SEQUENCE)
				.map((c) => tlvBytes(cms, c))
		: [];
}

/** The /Contents (CMS) of every signed field of the form, in field order. */
export async function signatureContents(pdf: Uint8Array): Promise<Uint8Array[]> {
	const reader = await openPdf(pdf, readTail(pdf));
	const form = resolveDict(reader, resolveDict(reader, reader.rootRef)?.get(N('AcroForm')));
	const out: Uint8Array[] = [];
	for (const ref of resolveArray(reader, form?.get(N('Fields')))?.asArray() ?? []) {
		const sig = resolveDict(reader, resolveDict(reader, ref instanceof PDFRef ? ref : undefined)?.get(N('V')));
		const c = sig?.get(N('Contents'));
		if (c instanceof PDFHexString || c instanceof PDFString) out.push(c.asBytes());
	}
	return out;
}
