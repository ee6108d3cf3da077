/**
 * The visible appearance of a signature widget: optional image (handwritten signature or the
 * seal) and the text "Ký bởi / chức vụ / cơ quan / thời gian", as a form XObject.
 *
 * It is built in the pdf-lib context of the file being signed (see pdf-reader.ts), so its
 * objects (font, image, stream) get fresh object numbers after the existing ones and can be
 * written out as part of the incremental update. The font comes pre-built from
 * `appearance-font.ts` (subsetting per signature would dominate the signing time).
 */
import {
	beginText,
	concatTransformationMatrix,
	drawObject,
	endText,
	popGraphicsState,
	pushGraphicsState,
	rectangle,
	setFillingRgbColor,
	setFontAndSize,
	setLineWidth,
	setStrokingRgbColor,
	setTextMatrix,
	setTextRenderingMode,
	showText,
	stroke,
	TextRenderingMode,
	PngEmbedder,
	type PDFContext,
	type PDFOperator,
	type PDFRef
} from 'pdf-lib';
import { appearanceFont, encodeText, measurer, registerFont, supported } from './appearance-font.js';
import { wrapRuns, type Line } from './text-layout.js';
import { vnDateTime } from './vn-time.js';

export interface AppearanceInput {
	width: number;
	height: number;
	signerName: string;
	signerTitle: string;
	organization: string;
	signingTime: Date;
	image?: Uint8Array;
	/** Red for the organisation's seal, dark blue for a person (as ink colours on paper). */
	color?: [number, number, number];
	/** The appearance font an earlier signature already wrote into the document, to share instead of embedding it again. */
	fontRef?: PDFRef;
}

interface TextLine {
	line: Line;
	bold: boolean;
}

/** Largest size (≤ 8 pt) at which all lines fit; long names wrap rather than overflow. */
function layoutText(paragraphs: { text: string; bold: boolean }[], font: ReturnType<typeof measurer>, width: number, height: number) {
	const lay = (size: number): TextLine[] =>
		paragraphs.flatMap((p) =>
			wrapRuns([{ text: p.text, font }], size, width).map((line) => ({
				line,
				bold: p.bold
			}))
		);
	for (let size = 8; size >= 3; size -= 0.25) {
		const lines = lay(size);
		if (lines.length * size * 1.2 <= height) return { size, lines };
	}
	return { size: 3, lines: lay(3).slice(0, Math.floor(height / 3.6)) };
}

/** Returns the reference of the appearance stream (/AP /N) registered in `doc`. */
export async function buildSignatureAppearance(ctx: PDFContext, input: AppearanceInput): Promise<PDFRef> {
	const f = await appearanceFont();
	const m = measurer(f);
	const { width: w, height: h } = input;
	const [r, g, b] = input.color ?? [0.05, 0.2, 0.55];
	const pad = 3;
	const ops: PDFOperator[] = [
		pushGraphicsState(),
		setLineWidth(0.8),
		setStrokingRgbColor(r, g, b),
		rectangle(0.5, 0.5, w - 1, h - 1),
		stroke()
	];
	const resources: Record<string, Record<string, PDFRef>> = {
		Font: { F1: input.fontRef ?? registerFont(ctx, f) }
	};

	let textTop = h - pad;
	if (input.image) {
		const img = await PngEmbedder.for(input.image);
		const imgRef = await img.embedIntoContext(ctx);
		const boxH = (h - 2 * pad) * 0.45;
		const scale = Math.min((w - 2 * pad) / img.width, boxH / img.height);
		const iw = img.width * scale;
		const ih = img.height * scale;
		ops.push(
			pushGraphicsState(),
			concatTransformationMatrix(iw, 0, 0, ih, (w - iw) / 2, h - pad - ih),
			drawObject('Im1'),
			popGraphicsState()
		);
		resources.XObject = { Im1: imgRef };
		textTop = h - pad - boxH - 2;
	}

	const paragraphs = [
		{ text: `Ký bởi: ${input.signerName}`, bold: true },
		{ text: input.signerTitle, bold: false },
		{ text: input.organization, bold: false },
		{ text: `Thời gian: ${vnDateTime(input.signingTime)}`, bold: false }
	]
		.filter((p) => p.text.trim() !== '')
		.map((p) => ({ ...p, text: supported(f, p.text) }));
	const { size, lines } = layoutText(paragraphs, m, w - 2 * pad, textTop - pad);
	// Centre the block vertically in the space left under the image.
	let y = textTop - (textTop - pad - lines.length * size * 1.2) / 2 - size;
	ops.push(beginText(), setFillingRgbColor(r, g, b), setFontAndSize('F1', size), setLineWidth(size * 0.03));
	for (const { line, bold } of lines) {
		// One embedded face only: bold is drawn as fill + thin stroke (faux bold).
		ops.push(setTextRenderingMode(bold ? TextRenderingMode.FillAndOutline : TextRenderingMode.Fill));
		const text = line.runs.map((run) => run.text).join('');
		ops.push(setTextMatrix(1, 0, 0, 1, pad, y), showText(encodeText(f, text)));
		y -= size * 1.2;
	}
	ops.push(endText(), popGraphicsState());

	const stream = ctx.formXObject(ops, {
		BBox: [0, 0, w, h],
		Matrix: [1, 0, 0, 1, 0, 0],
		Resources: resources
	});
	return ctx.register(stream);
}
