/**
 * PAdES baseline B-B signing of a resolution PDF (ETSI EN 319 142-1), B-T with the `timestamp` option (an RFC 3161
 * signature timestamp from a TSA, see tsa.ts), one signature field at a
 * time: the chair signs `sig_chair`, then the clerk applies the council's seal to `sig_org`.
 *
 * Each signature is an incremental update: pdf-lib is used only to READ the objects we change
 * (pdf-reader.ts) and to serialise the new ones; the bytes of the update are written by
 * `incremental.ts`, because pdf-lib's `save()` would rewrite the whole file and break the
 * earlier signature. /ByteRange then covers the whole file except the /Contents hex string.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { buildSignatureAppearance } from './appearance.js';
import { appearanceFont } from './appearance-font.js';
import { buildCadesDetached, buildCadesDetachedTimestamped, estimateCmsSize } from './cms.js';
import { SigningError } from './errors.js';
import { bytesOf, nextRevisionId, type UpdateObject } from './incremental.js';
import { openPdf, pageRefs, resolveArray, resolveDict, type PdfReader } from './pdf-reader.js';
import { readTail } from './pdf-tail.js';
import { appendSignedRevision } from './signed-revision.js';
import { checkCertificateUsable } from './pki.js';
import type { SignatureFieldName } from './render.js';
import { keySigner, type Signer } from './signer.js';
import { pdfDateVn } from './vn-time.js';

export interface SignPdfOptions {
	fieldName: SignatureFieldName;
	/**
	 * Who signs (signer.ts: a token, a remote service). Without it, `privateKey` held by the server signs, for
	 * `certificate` and `chain`.
	 */
	signer?: Signer;
	privateKey?: crypto.KeyObject;
	certificate?: forge.pki.Certificate;
	/** Issuer certificates up to the root; embedded so that verifiers can build the chain. */
	chain?: forge.pki.Certificate[];
	signerName: string;
	signerTitle: string;
	organization: string;
	reason?: string;
	location?: string;
	/** The claimed signing time (/M); printed in Vietnam time. */
	signingTime: Date;
	/** PNG of the handwritten signature or of the seal, shown in the widget. */
	image?: Uint8Array;
	/** Serials the CA has revoked; signing with one of them is refused. */
	revokedSerials?: Iterable<string>;
	/**
	 * PAdES B-T: asked for an RFC 3161 TimeStampToken (DER) over the SHA-256 of the signature value, which is then
	 * carried in the SignerInfo as id-aa-signatureTimeStampToken. Without it the signature is B-B (time: /M only).
	 */
	timestamp?: (imprint: Uint8Array) => Promise<Uint8Array>;
}


const textString = (s: string) => PDFHexString.fromText(s.normalize('NFC')).toString();

interface FoundField {
	fieldRef: PDFRef;
	field: PDFDict;
	widgetRef: PDFRef;
	widget: PDFDict;
}

/** Finds a signature field by its fully qualified name, walking /Kids (depth-limited). */
function findField(
	r: PdfReader,
	name: string
): {
	acroFormRef?: PDFRef;
	acroForm: PDFDict;
	catalog: PDFDict;
	found: FoundField;
} {
	const catalog = resolveDict(r, r.rootRef);
	if (!catalog) throw new SigningError('MALFORMED_PDF', 'no catalog');
	const raw = catalog.get(PDFName.of('AcroForm'));
	const acroForm = resolveDict(r, raw);
	const fields = resolveArray(r, acroForm?.get(PDFName.of('Fields')));
	if (!acroForm || !fields) throw new SigningError('FIELD_NOT_FOUND', 'the document has no form');
	const partial = (d: PDFDict) => {
		const t = d.get(PDFName.of('T'));
		return t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : undefined;
	};
	let visited = 0;
	const walk = (arr: PDFArray, prefix: string, depth: number): FoundField | undefined => {
		if (depth > 8) return undefined;
		for (const ref of arr.asArray()) {
			if (!(ref instanceof PDFRef) || ++visited > 10_000) continue;
			const d = resolveDict(r, ref);
			if (!d) continue;
			const t = partial(d);
			const full = t === undefined ? prefix : prefix ? `${prefix}.${t}` : t;
			const kids = resolveArray(r, d.get(PDFName.of('Kids')));
			if (full === name && t !== undefined) {
				// A merged field/widget, or a field whose first kid is its widget.
				const kidRef = kids?.get(0);
				const kid = kidRef instanceof PDFRef ? resolveDict(r, kidRef) : undefined;
				if (d.get(PDFName.of('Subtype')) === PDFName.of('Widget') || !kid) return { fieldRef: ref, field: d, widgetRef: ref, widget: d };
				return {
					fieldRef: ref,
					field: d,
					widgetRef: kidRef as PDFRef,
					widget: kid
				};
			}
			if (kids) {
				const hit = walk(kids, full, depth + 1);
				if (hit) return hit;
			}
		}
		return undefined;
	};
	const found = walk(fields, '', 0);
	if (!found) throw new SigningError('FIELD_NOT_FOUND', name);
	if (r.resolve(found.field.get(PDFName.of('FT'))) !== PDFName.of('Sig'))
		throw new SigningError('FIELD_NOT_FOUND', `${name} is not a signature field`);
	return {
		acroFormRef: raw instanceof PDFRef ? raw : undefined,
		acroForm,
		catalog,
		found
	};
}

const DOC_MDP_REFERENCE = '<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 2 /V /1.2 >> >>';

/** The FieldMDP transform that a field's /Lock asks its signature to carry (ISO 32000-1, 12.8.2.4). */
function fieldMdpReference(lock: PDFDict | undefined): string {
	const action = lock?.get(PDFName.of('Action'));
	if (!(action instanceof PDFName)) return '';
	const fields = lock!.get(PDFName.of('Fields'));
	const params = `/Action ${action}${fields instanceof PDFArray ? ` /Fields ${fields}` : ''}`;
	return `<< /Type /SigRef /TransformMethod /FieldMDP /TransformParams << /Type /TransformParams ${params} /V /1.2 >> >>`;
}

/**
 * The appearance font (the same pre-built subset every time) that an earlier signature of this document wrote:
 * the next signature refers to it rather than adding another copy of the font file.
 */
async function existingAppearanceFont(r: PdfReader, acroForm: PDFDict): Promise<PDFRef | undefined> {
	const { baseFont } = await appearanceFont();
	for (const ref of resolveArray(r, acroForm.get(PDFName.of('Fields')))?.asArray() ?? []) {
		const normal = r.resolve(resolveDict(r, resolveDict(r, ref)?.get(PDFName.of('AP')))?.get(PDFName.of('N')));
		const dict = normal instanceof PDFRawStream ? normal.dict : undefined;
		const font = resolveDict(r, resolveDict(r, dict?.get(PDFName.of('Resources')))?.get(PDFName.of('Font')))?.get(PDFName.of('F1'));
		if (font instanceof PDFRef && resolveDict(r, font)?.get(PDFName.of('BaseFont')) === PDFName.of(baseFont)) return font;
	}
	return undefined;
}

/** Whether any top-level field of the form already carries a signature value. */
function anyFieldSigned(r: PdfReader, acroForm: PDFDict): boolean {
	return (resolveArray(r, acroForm.get(PDFName.of('Fields')))?.asArray() ?? []).some((ref) => resolveDict(r, ref)?.has(PDFName.of('V')));
}


/** The signer of `opts`: its own, or the server-held key (checked against its certificate) as before signers existed. */
function signerOf(opts: SignPdfOptions): Signer {
	if (opts.signer) return opts.signer;
	if (!opts.privateKey || !opts.certificate) throw new SigningError('UNSUPPORTED_KEY', 'a signer, or a private key and its certificate, is required');
	return keySigner(opts.privateKey, opts.certificate, opts.chain ?? []);
}

export async function signPdf(pdf: Uint8Array, opts: SignPdfOptions): Promise<Uint8Array> {
	const tail = readTail(pdf);
	const signer = signerOf(opts);
	checkCertificateUsable(signer.certificate, opts.signingTime, opts.revokedSerials ?? []);

	const reader = await openPdf(pdf, tail);
	const ctx = reader.context;
	// New objects are numbered after everything the previous trailer counts (free entries too).
	const firstNew = ctx.largestObjectNumber + 1;

	const { acroFormRef, acroForm, catalog, found } = findField(reader, opts.fieldName);
	if (found.field.get(PDFName.of('V'))) throw new SigningError('FIELD_ALREADY_SIGNED', opts.fieldName);
	const rect = resolveArray(reader, found.widget.get(PDFName.of('Rect')));
	const nums =
		rect && rect.size() === 4
			? rect.asArray().map((n) => {
					const v = reader.resolve(n);
					return v instanceof PDFNumber ? v.asNumber() : 0;
				})
			: [0, 0, 0, 0];
	const width = Math.abs(nums[2] - nums[0]);
	const height = Math.abs(nums[3] - nums[1]);

	const changed = new Map<number, { ref: PDFRef; obj: PDFObject }>();
	if (width > 1 && height > 1) {
		const ap = await buildSignatureAppearance(ctx, {
			width,
			height,
			signerName: opts.signerName,
			signerTitle: opts.signerTitle,
			organization: opts.organization,
			signingTime: opts.signingTime,
			image: opts.image,
			color: opts.fieldName === 'sig_org' ? [0.75, 0.05, 0.05] : undefined,
			fontRef: await existingAppearanceFont(reader, acroForm)
		});
		found.widget.set(PDFName.of('AP'), ctx.obj({ N: ap }));
	}
	const sigRef = ctx.nextRef();
	// The first signature certifies the document (DocMDP P=2: only form filling and signing may follow),
	// and a field with a /Lock (render.ts) is locked by its signature (FieldMDP), so other viewers enforce
	// what verify.ts checks.
	const certify = !catalog.has(PDFName.of('Perms')) && !anyFieldSigned(reader, acroForm);
	if (certify) {
		catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: sigRef }));
		changed.set(reader.rootRef.objectNumber, { ref: reader.rootRef, obj: catalog });
	}
	found.field.set(PDFName.of('V'), sigRef);
	found.widget.set(PDFName.of('F'), PDFNumber.of(4)); // printable, as on paper
	changed.set(found.fieldRef.objectNumber, {
		ref: found.fieldRef,
		obj: found.field
	});
	changed.set(found.widgetRef.objectNumber, {
		ref: found.widgetRef,
		obj: found.widget
	});

	// SigFlags 3 = SignaturesExist | AppendOnly: tells editors to save incrementally from now on.
	acroForm.set(PDFName.of('SigFlags'), PDFNumber.of(3));
	if (acroFormRef) changed.set(acroFormRef.objectNumber, { ref: acroFormRef, obj: acroForm });
	else
		changed.set(reader.rootRef.objectNumber, {
			ref: reader.rootRef,
			obj: catalog
		});

	// The widget must be listed in its page's /Annots to be displayed.
	const pageRef = found.widget.get(PDFName.of('P'));
	const pRef =
		pageRef instanceof PDFRef && resolveDict(reader, pageRef)?.get(PDFName.of('Type')) === PDFName.of('Page') ? pageRef : undefined;
	const targetPage = pRef ?? pageRefs(reader).at(-1);
	if (!targetPage) throw new SigningError('MALFORMED_PDF', 'no pages');
	const page = resolveDict(reader, targetPage)!;
	const annotsRaw = page.get(PDFName.of('Annots'));
	const annots = resolveArray(reader, annotsRaw);
	if (!annots?.asArray().some((a) => a === found.widgetRef)) {
		if (annots && annotsRaw instanceof PDFRef) {
			annots.push(found.widgetRef);
			changed.set(annotsRaw.objectNumber, { ref: annotsRaw, obj: annots });
		} else {
			page.set(PDFName.of('Annots'), ctx.obj([...(annots?.asArray() ?? []), found.widgetRef]));
			changed.set(targetPage.objectNumber, { ref: targetPage, obj: page });
		}
		if (!pRef) found.widget.set(PDFName.of('P'), targetPage);
	}

	for (const [ref, obj] of ctx.enumerateIndirectObjects()) {
		if (ref.objectNumber >= firstNew && ref !== sigRef) changed.set(ref.objectNumber, { ref, obj });
	}

	// The signature dictionary, written by hand so that we know where /ByteRange and /Contents are.
	const contentsBytes = estimateCmsSize(signer.certificate, signer.chain, { timestamp: !!opts.timestamp });
	const sigHead =
		`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n` +
		`/M (${pdfDateVn(opts.signingTime)})\n/Name ${textString(opts.signerName)}\n` +
		(opts.reason ? `/Reason ${textString(opts.reason)}\n` : '') +
		(opts.location ? `/Location ${textString(opts.location)}\n` : '') +
		`/Prop_Build << /App << /Name /NghiTruongSo >> /Filter << /Name /Adobe.PPKLite >> >>\n` +
		`/Reference [${certify ? DOC_MDP_REFERENCE : ''}${fieldMdpReference(resolveDict(reader, found.field.get(PDFName.of('Lock'))))}]\n` +
		`/ByteRange `;
	const objects: UpdateObject[] = [...changed.values()].map(({ ref, obj }) => ({
		objectNumber: ref.objectNumber,
		generation: ref.generationNumber,
		body: bytesOf(obj)
	}));
	const trailer = {
		root: String(reader.rootRef),
		info: reader.infoRef ? String(reader.infoRef) : undefined,
		id: nextRevisionId(reader, `${opts.fieldName}${opts.signingTime.toISOString()}`)
	};
	return appendSignedRevision(pdf, tail, objects, { objectNumber: sigRef.objectNumber, head: sigHead, contentsBytes }, trailer, (digest) => {
		const cades = { digest, signer };
		return opts.timestamp ? buildCadesDetachedTimestamped(cades, opts.timestamp) : buildCadesDetached(cades);
	});
}
