/**
 * PAdES B-LTA (ETSI EN 319 142-1 §5.5): a document timestamp over the whole file, DSS included, in its own
 * incremental update. It is not anyone's signature: the signature dictionary is /Type /DocTimeStamp with
 * /SubFilter /ETSI.RFC3161, and its /Contents is the TSA's RFC 3161 token itself, whose imprint is the SHA-256 of the
 * bytes /ByteRange covers. Later, a fresh DSS and another document timestamp can extend the evidence before the TSA's
 * certificate or its algorithms weaken.
 *
 * The field is a new invisible signature field (zero-size widget on the first page), which is what DocMDP level 2
 * and verify.ts (modifications.ts) allow after the certifying signature.
 */
import { PDFArray, PDFHexString, PDFName, PDFRef, PDFString, type PDFDict } from 'pdf-lib';
import { TIMESTAMP_TOKEN_RESERVE } from './cms.js';
import { SigningError } from './errors.js';
import { bytesOf, nextRevisionId, type UpdateObject } from './incremental.js';
import { openPdf, pageRefs, resolveArray, resolveDict } from './pdf-reader.js';
import { readTail } from './pdf-tail.js';
import { appendSignedRevision } from './signed-revision.js';

const N = (k: string) => PDFName.of(k);
/** Room for the token, as for a signature timestamp (cms.ts): the TSA's certificate, its CA's and the signed TSTInfo (~3 KB). */
const TOKEN_RESERVE = TIMESTAMP_TOKEN_RESERVE;

export interface DocumentTimestampOptions {
	/** An RFC 3161 TimeStampToken (DER) over a SHA-256 imprint, e.g. tsa.ts localTimestamper or the city TSA. */
	timestamp: (imprint: Uint8Array) => Promise<Uint8Array>;
	/** The new field's name (made unique if the form has it already). */
	fieldName?: string;
}

function fieldNames(fields: PDFArray | undefined, resolve: (r: PDFRef) => PDFDict | undefined): Set<string> {
	const names = new Set<string>();
	for (const ref of fields?.asArray() ?? []) {
		const t = ref instanceof PDFRef ? resolve(ref)?.get(N('T')) : undefined;
		if (t instanceof PDFString || t instanceof PDFHexString) names.add(t.decodeText());
	}
	return names;
}

export async function addDocumentTimestamp(pdf: Uint8Array, opts: DocumentTimestampOptions): Promise<Uint8Array> {
	const tail = readTail(pdf);
	const reader = await openPdf(pdf, tail);
	const ctx = reader.context;
	const catalog = resolveDict(reader, reader.rootRef);
	if (!catalog) throw new SigningError('MALFORMED_PDF', 'no catalog');
	const changed = new Map<number, { ref: PDFRef; obj: PDFDict | PDFArray }>();
	const touch = (ref: PDFRef, obj: PDFDict | PDFArray) => changed.set(ref.objectNumber, { ref, obj });

	// The form (created when missing), its /Fields, and the new field's name.
	const acroRaw = catalog.get(N('AcroForm'));
	let acroForm = resolveDict(reader, acroRaw);
	if (!acroForm) {
		acroForm = ctx.obj({ Fields: [] }) as PDFDict;
		catalog.set(N('AcroForm'), acroForm);
	}
	const fieldsRaw = acroForm.get(N('Fields'));
	let fields = resolveArray(reader, fieldsRaw);
	if (!fields) {
		fields = ctx.obj([]) as PDFArray;
		acroForm.set(N('Fields'), fields);
	}
	const taken = fieldNames(fields, (r) => resolveDict(reader, r));
	const base = opts.fieldName ?? 'doc_timestamp';
	let name = base;
	for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;

	const page = pageRefs(reader)[0];
	if (!page) throw new SigningError('MALFORMED_PDF', 'no pages');
	const sigRef = ctx.nextRef();
	const fieldRef = ctx.nextRef();
	// A merged field and widget, zero-size and printable-hidden: nothing on any page changes.
	const field = ctx.obj({
		FT: 'Sig',
		T: PDFString.of(name),
		Type: 'Annot',
		Subtype: 'Widget',
		Rect: [0, 0, 0, 0],
		F: 132,
		P: page,
		V: sigRef
	});
	fields.push(fieldRef);
	if (fieldsRaw instanceof PDFRef) touch(fieldsRaw, fields);
	acroForm.set(N('SigFlags'), ctx.obj(3));
	if (acroRaw instanceof PDFRef) touch(acroRaw, acroForm);
	else touch(reader.rootRef, catalog);

	const pageDict = resolveDict(reader, page)!;
	const annotsRaw = pageDict.get(N('Annots'));
	const annots = resolveArray(reader, annotsRaw);
	if (annots && annotsRaw instanceof PDFRef) {
		annots.push(fieldRef);
		touch(annotsRaw, annots);
	} else {
		pageDict.set(N('Annots'), ctx.obj([...(annots?.asArray() ?? []), fieldRef]));
		touch(page, pageDict);
	}

	const sigHead = `<< /Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161\n/ByteRange `;
	const objects: UpdateObject[] = [...changed.values()].map(({ ref, obj }) => ({
		objectNumber: ref.objectNumber,
		generation: ref.generationNumber,
		body: bytesOf(obj)
	}));
	objects.push({ objectNumber: fieldRef.objectNumber, generation: 0, body: bytesOf(field) });
	const trailer = { root: String(reader.rootRef), info: reader.infoRef ? String(reader.infoRef) : undefined, id: nextRevisionId(reader, name) };
	return appendSignedRevision(pdf, tail, objects, { objectNumber: sigRef.objectNumber, head: sigHead, contentsBytes: TOKEN_RESERVE }, trailer, (imprint) => opts.timestamp(imprint));
}
