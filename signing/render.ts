/**
 * Renders a resolution (nghị quyết) as a PDF in the layout of Decree 30/2020/NĐ-CP, Appendix I:
 * issuing body and number top left, national motto and place/date top right, title, preamble
 * ("Căn cứ …"), "QUYẾT NGHỊ:", articles, recipients bottom left and the signer block bottom right.
 *
 * The output is the FIRST REVISION that signatures are later appended to as incremental updates,
 * so it already carries the two empty signature fields (`sig_chair`, `sig_org`) with their widget
 * rectangles, and it is saved without object streams so that it ends in a classic xref table.
 */
import crypto from 'node:crypto';
import QRCode from 'qrcode';
import { PDFDocument, PDFHexString, PDFName, PDFString, degrees, rgb, type PDFFont, type PDFImage, type PDFPage, type PDFRef } from 'pdf-lib';
import { SigningError } from './errors.js';
import { embedTinos, type TinosSet } from './fonts.js';
import { wrapRuns, type Line, type Run } from './text-layout.js';
import { vnDateLine } from './vn-time.js';

export type SignatureFieldName = 'sig_chair' | 'sig_org';
export const SIGNATURE_FIELDS: readonly SignatureFieldName[] = ['sig_chair', 'sig_org'];

export interface ResolutionArticle {
	/** Optional article heading, printed in bold after "Điều N.". */
	title?: string;
	/** Paragraphs ("1. …", "a) …"); without a title the first one follows "Điều N." on the same line. */
	paragraphs: string[];
}

export interface ResolutionDocument {
	/** e.g. ['HỘI ĐỒNG NHÂN DÂN', 'PHƯỜNG BẾN THÀNH'] */
	issuingBodyLines: string[];
	/** e.g. 'HỘI ĐỒNG NHÂN DÂN PHƯỜNG BẾN THÀNH' (printed in capitals) */
	councilFullName: string;
	/** Place in the date line, e.g. 'Bến Thành' */
	placeName: string;
	/** Full number as assigned by the system, e.g. '05/2026/NQ-HĐND' */
	number: string;
	/** Issue date; printed in Vietnam time. */
	date: Date;
	/** The subject under "NGHỊ QUYẾT", e.g. 'Về kế hoạch đầu tư công năm 2027' */
	title: string;
	/** Term (khóa), e.g. 'I' → "KHÓA I" */
	termLabel: string;
	sittingNumber: number;
	/** "Căn cứ Luật Tổ chức chính quyền địa phương …;" lines, also "Xét Tờ trình …". */
	legalBases: string[];
	articles: ResolutionArticle[];
	/** Items under "Nơi nhận:", e.g. 'Thường trực HĐND Thành phố;' */
	recipients: string[];
	signer: { positionLabel: string; name: string; onBehalfOf?: string };
	verification: { url: string; shortCode: string };
}

export interface RenderOptions {
	/** CreationDate of the file; defaults to now. */
	renderedAt?: Date;
	/**
	 * A preview of a draft: every page carries "DỰ THẢO" across it and the file is titled as a draft, so a printed
	 * or forwarded preview cannot pass for the adopted resolution (which is rendered again, with its number, on adoption).
	 */
	draftMark?: boolean;
}

// A4 and the margins of Decree 30 (top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm).
const MM = 72 / 25.4;
const PAGE_W = 595.28;
const PAGE_H = 841.89;
const LEFT = 30 * MM;
const RIGHT = PAGE_W - 15 * MM;
const TOP = PAGE_H - 20 * MM;
const FOOTER_BASE = 10 * MM; // the footer (QR code, verification code) starts here…
const FOOTER_TOP = FOOTER_BASE + 48; // …and lives below this line
const BOTTOM = FOOTER_TOP + 10;
const WIDTH = RIGHT - LEFT;
const HEADER_LEFT_W = 200;
const BODY_SIZE = 14;
const LEADING = 1.25;
const INDENT = 10 * MM;

/** Where the two signature widgets go, relative to the signer column (see drawClosing). */
const SIG_BOX = { w: 114, h: 84, gap: 8 };

function assertDocument(doc: ResolutionDocument): void {
	const problems: string[] = [];
	const nonEmpty = (v: unknown, name: string) => {
		if (typeof v !== 'string' || v.trim() === '') problems.push(name);
	};
	if (!Array.isArray(doc.issuingBodyLines) || doc.issuingBodyLines.length === 0) problems.push('issuingBodyLines');
	nonEmpty(doc.councilFullName, 'councilFullName');
	nonEmpty(doc.placeName, 'placeName');
	nonEmpty(doc.number, 'number');
	nonEmpty(doc.title, 'title');
	nonEmpty(doc.termLabel, 'termLabel');
	nonEmpty(doc.signer?.positionLabel, 'signer.positionLabel');
	nonEmpty(doc.signer?.name, 'signer.name');
	nonEmpty(doc.verification?.url, 'verification.url');
	nonEmpty(doc.verification?.shortCode, 'verification.shortCode');
	if (!(doc.date instanceof Date) || Number.isNaN(doc.date.getTime())) problems.push('date');
	if (!Number.isInteger(doc.sittingNumber) || doc.sittingNumber < 1) problems.push('sittingNumber');
	if (!Array.isArray(doc.articles) || doc.articles.length === 0) problems.push('articles');
	else if (doc.articles.some((a) => !a.title && (!a.paragraphs || a.paragraphs.length === 0))) problems.push('articles[].paragraphs');
	if (!Array.isArray(doc.legalBases)) problems.push('legalBases');
	if (!Array.isArray(doc.recipients)) problems.push('recipients');
	if (doc.recipients?.length > 25) problems.push('recipients (at most 25)');
	if (problems.length) throw new SigningError('INVALID_DOCUMENT', problems.join(', '));
}

const upper = (s: string) => s.normalize('NFC').toLocaleUpperCase('vi-VN');

/** Largest size ≤ `size` at which `text` fits in `width` (long council names in the header). */
function fitSize(font: PDFFont, text: string, size: number, width: number, min = 9): number {
	let s = size;
	while (s > min && font.widthOfTextAtSize(text, s) > width) s -= 0.25;
	return s;
}

/** Cursor over pages with automatic page breaks. */
class Flow {
	pages: PDFPage[] = [];
	page!: PDFPage;
	y = TOP;
	constructor(private readonly pdf: PDFDocument) {
		this.newPage();
	}
	newPage() {
		this.page = this.pdf.addPage([PAGE_W, PAGE_H]);
		this.pages.push(this.page);
		this.y = TOP;
	}
	/** Moves to a new page unless `height` more points fit on this one. */
	need(height: number) {
		if (this.y - height < BOTTOM) this.newPage();
	}
	lines(
		lines: Line<PDFFont>[],
		size: number,
		opts: {
			x?: number;
			width?: number;
			align?: 'left' | 'center';
			firstIndent?: number;
		} = {}
	) {
		const x0 = opts.x ?? LEFT;
		const w = opts.width ?? WIDTH;
		const lh = size * LEADING;
		lines.forEach((line, i) => {
			this.need(lh);
			this.y -= lh;
			let x = opts.align === 'center' ? x0 + (w - line.width) / 2 : x0 + (i === 0 ? (opts.firstIndent ?? 0) : 0);
			for (const run of line.runs) {
				this.page.drawText(run.text, {
					x,
					y: this.y + size * 0.22,
					size,
					font: run.font,
					color: rgb(0, 0, 0)
				});
				x += run.width;
			}
		});
	}
	paragraph(
		runs: Run<PDFFont>[],
		size: number,
		opts: {
			align?: 'left' | 'center';
			firstIndent?: number;
			width?: number;
			x?: number;
		} = {}
	) {
		const width = opts.width ?? WIDTH;
		this.lines(wrapRuns(runs, size, width, opts.align === 'center' ? 0 : (opts.firstIndent ?? 0)), size, { ...opts, width });
	}
	space(pt: number) {
		this.y -= pt;
	}
}

function rule(page: PDFPage, cx: number, y: number, length: number) {
	page.drawLine({
		start: { x: cx - length / 2, y },
		end: { x: cx + length / 2, y },
		thickness: 0.6,
		color: rgb(0, 0, 0)
	});
}

function centerText(page: PDFPage, text: string, font: PDFFont, size: number, cx: number, y: number): number {
	const w = font.widthOfTextAtSize(text, size);
	page.drawText(text, { x: cx - w / 2, y, size, font });
	return w;
}

function drawHeader(flow: Flow, doc: ResolutionDocument, f: TinosSet) {
	const page = flow.page;
	const leftCx = LEFT + HEADER_LEFT_W / 2;
	const rightX = LEFT + HEADER_LEFT_W;
	const rightW = RIGHT - rightX;
	const rightCx = rightX + rightW / 2;
	let yl = TOP - 13;
	let lastW = 0;
	for (const raw of doc.issuingBodyLines) {
		const text = upper(raw);
		const size = fitSize(f.bold, text, 12.5, HEADER_LEFT_W - 6);
		lastW = centerText(page, text, f.bold, size, leftCx, yl);
		yl -= 15;
	}
	// Short solid rule under the issuing body: 1/3 to 1/2 of the line above.
	rule(page, leftCx, yl + 7, Math.max(40, lastW * 0.4));

	let yr = TOP - 13;
	const nation = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
	centerText(page, nation, f.bold, fitSize(f.bold, nation, 12.5, rightW - 4), rightCx, yr);
	yr -= 15;
	const motto = 'Độc lập - Tự do - Hạnh phúc';
	const mottoW = centerText(page, motto, f.bold, 13, rightCx, yr);
	// The motto is underlined along its full length.
	rule(page, rightCx, yr - 3.5, mottoW);

	const numberY = Math.min(yl, yr) - 22;
	const numberText = `Số: ${doc.number.normalize('NFC')}`;
	centerText(page, numberText, f.regular, fitSize(f.regular, numberText, 13, HEADER_LEFT_W - 4), leftCx, numberY);
	const dateText = vnDateLine(doc.placeName.normalize('NFC'), doc.date);
	centerText(page, dateText, f.italic, fitSize(f.italic, dateText, 13, rightW - 4), rightCx, numberY);
	flow.y = numberY - 16;
}

function drawTitle(flow: Flow, doc: ResolutionDocument, f: TinosSet) {
	flow.space(12);
	flow.paragraph([{ text: 'NGHỊ QUYẾT', font: f.bold }], 14, {
		align: 'center'
	});
	flow.paragraph([{ text: doc.title, font: f.bold }], 14, {
		align: 'center',
		x: LEFT + 30,
		width: WIDTH - 60
	});
	rule(flow.page, LEFT + WIDTH / 2, flow.y - 7, 90);
	flow.space(22);
	flow.paragraph([{ text: upper(doc.councilFullName), font: f.bold }], 14, {
		align: 'center'
	});
	flow.paragraph(
		[
			{
				text: `KHÓA ${upper(doc.termLabel)}, KỲ HỌP THỨ ${doc.sittingNumber}`,
				font: f.bold
			}
		],
		14,
		{ align: 'center' }
	);
	flow.space(10);
}

/** The height a paragraph takes in the body (as Flow.paragraph lays it out, with the space after it). */
function paragraphHeight(runs: Run<PDFFont>[], firstIndent: number): number {
	return wrapRuns(runs, BODY_SIZE, WIDTH, firstIndent).length * BODY_SIZE * LEADING + 4;
}

/** `closingHeight`: the signature block's height, kept on the page of the last paragraph (never alone on a page). */
function drawBody(flow: Flow, doc: ResolutionDocument, f: TinosSet, closingHeight: number) {
	for (const basis of doc.legalBases) {
		flow.paragraph([{ text: basis, font: f.italic }], BODY_SIZE, {
			firstIndent: INDENT
		});
		flow.space(4);
	}
	flow.space(8);
	flow.need(BODY_SIZE * LEADING * 3); // keep "QUYẾT NGHỊ:" with the first article
	flow.paragraph([{ text: 'QUYẾT NGHỊ:', font: f.bold }], BODY_SIZE, {
		align: 'center'
	});
	flow.space(8);
	doc.articles.forEach((article, i) => {
		const isLast = i === doc.articles.length - 1;
		const head = `Điều ${i + 1}.`;
		const paragraphs = [...article.paragraphs];
		const first: Run<PDFFont>[] = [{ text: head, font: f.bold }];
		if (article.title) first.push({ text: ` ${article.title}`, font: f.bold });
		else first.push({ text: ` ${paragraphs.shift() ?? ''}`, font: f.regular });
		flow.need(BODY_SIZE * LEADING * 2); // no article heading alone at the foot of a page
		if (isLast && paragraphs.length === 0) flow.need(paragraphHeight(first, INDENT) + closingHeight);
		flow.paragraph(first, BODY_SIZE, { firstIndent: INDENT });
		flow.space(4);
		paragraphs.forEach((p, k) => {
			const runs = [{ text: p, font: f.regular }];
			if (isLast && k === paragraphs.length - 1) flow.need(paragraphHeight(runs, INDENT) + closingHeight);
			flow.paragraph(runs, BODY_SIZE, {
				firstIndent: INDENT
			});
			flow.space(4);
		});
	});
}

interface Widget {
	name: SignatureFieldName;
	page: PDFPage;
	rect: [number, number, number, number];
}

const CLOSING_COLUMN_X = LEFT + WIDTH - 250;
const RECIPIENT_SIZE = 11;

function recipientLinesOf(doc: ResolutionDocument, f: TinosSet) {
	return doc.recipients.flatMap((r) => wrapRuns([{ text: `- ${r}`, font: f.regular }], RECIPIENT_SIZE, CLOSING_COLUMN_X - LEFT - 10));
}

/** Recipients and signer block: the space drawClosing needs, its leading space included. */
function closingHeight(doc: ResolutionDocument, f: TinosSet): number {
	const recipientsH = 16 + recipientLinesOf(doc, f).length * RECIPIENT_SIZE * 1.2;
	const signerH = 13 * 1.3 * 3 + SIG_BOX.h + 30;
	return 12 + Math.max(recipientsH, signerH);
}

/** Recipients bottom left, signer block bottom right, kept together on one page. */
function drawClosing(flow: Flow, doc: ResolutionDocument, f: TinosSet): Widget[] {
	const colX = CLOSING_COLUMN_X;
	const colW = 250;
	const colCx = colX + colW / 2;
	const recSize = RECIPIENT_SIZE;
	const recipientLines = recipientLinesOf(doc, f);
	flow.space(12);
	flow.need(closingHeight(doc, f) - 12);
	const page = flow.page;
	const top = flow.y;

	// Left: "Nơi nhận:" in bold italic 12, items in 11 (Decree 30).
	let y = top - 12;
	page.drawText('Nơi nhận:', { x: LEFT, y, size: 12, font: f.boldItalic });
	for (const line of recipientLines) {
		y -= recSize * 1.2;
		let x = LEFT;
		for (const run of line.runs) {
			page.drawText(run.text, { x, y, size: recSize, font: run.font });
			x += run.width;
		}
	}

	// Right: "TM. HỘI ĐỒNG NHÂN DÂN" / "CHỦ TỊCH", room for two signatures, then the name.
	let ys = top - 13;
	centerText(page, upper(doc.signer.onBehalfOf ?? 'TM. HỘI ĐỒNG NHÂN DÂN'), f.bold, 13, colCx, ys);
	ys -= 16;
	centerText(page, upper(doc.signer.positionLabel), f.bold, 13, colCx, ys);
	const boxTop = ys - 8;
	const boxBottom = boxTop - SIG_BOX.h;
	// Decree 30 puts the organisation's seal to the left of the personal signature.
	const orgX = colCx - SIG_BOX.gap / 2 - SIG_BOX.w;
	const chairX = colCx + SIG_BOX.gap / 2;
	const nameY = boxBottom - 18;
	centerText(page, doc.signer.name.normalize('NFC'), f.bold, 14, colCx, nameY);
	flow.y = Math.min(y, nameY) - 10;
	return [
		{
			name: 'sig_org',
			page,
			rect: [orgX, boxBottom, orgX + SIG_BOX.w, boxTop]
		},
		{
			name: 'sig_chair',
			page,
			rect: [chairX, boxBottom, chairX + SIG_BOX.w, boxTop]
		}
	];
}

/**
 * On every page, a footer with the QR code to the public verification page and the short code, 10 mm above the
 * paper's edge (printers leave the last few millimetres blank); from page 2 on, the page number centred in the top
 * margin (Decree 30/2020/NĐ-CP, Appendix I).
 */
function drawFooters(pages: PDFPage[], doc: ResolutionDocument, f: TinosSet, qr: PDFImage) {
	const qrSize = 44;
	const url = doc.verification.url;
	pages.forEach((page, i) => {
		const y0 = FOOTER_BASE;
		page.drawLine({
			start: { x: LEFT, y: FOOTER_TOP },
			end: { x: RIGHT, y: FOOTER_TOP },
			thickness: 0.3,
			color: rgb(0.5, 0.5, 0.5)
		});
		page.drawImage(qr, { x: LEFT, y: y0, width: qrSize, height: qrSize });
		const tx = LEFT + qrSize + 6;
		page.drawText(`Mã xác thực: ${doc.verification.shortCode}`, {
			x: tx,
			y: y0 + 26,
			size: 9,
			font: f.bold
		});
		const urlLine = `Kiểm tra chữ ký số tại: ${url}`;
		page.drawText(urlLine, {
			x: tx,
			y: y0 + 13,
			size: fitSize(f.regular, urlLine, 8, RIGHT - tx, 5),
			font: f.regular
		});
		if (i > 0) centerText(page, String(i + 1), f.regular, 13, LEFT + WIDTH / 2, PAGE_H - 12 * MM);
	});
}

const ANGLE_DEG = 40;

/** "DỰ THẢO" diagonally across each page, light enough to read the text through it. */
function drawDraftMark(pages: PDFPage[], f: TinosSet) {
	const text = 'DỰ THẢO';
	const size = 96;
	const w = f.bold.widthOfTextAtSize(text, size);
	const rad = (ANGLE_DEG * Math.PI) / 180;
	// Centre the rotated text on the page: back from the centre by half its width along the baseline and by about
	// half a cap height across it.
	const x = PAGE_W / 2 - (w / 2) * Math.cos(rad) + (size / 3) * Math.sin(rad);
	const y = PAGE_H / 2 - (w / 2) * Math.sin(rad) - (size / 3) * Math.cos(rad);
	for (const page of pages) page.drawText(text, { x, y, size, font: f.bold, color: rgb(0.75, 0.1, 0.1), opacity: 0.18, rotate: degrees(ANGLE_DEG) });
}
/**
 * Empty signature fields (merged field + widget) so that signing only has to fill them.
 * /F 4 = Print: the visible signatures must appear on paper copies too.
 */
function addSignatureFields(pdf: PDFDocument, widgets: Widget[]) {
	const ctx = pdf.context;
	const labels: Record<SignatureFieldName, string> = {
		sig_chair: 'Chữ ký số của người có thẩm quyền',
		sig_org: 'Chữ ký số của cơ quan'
	};
	const refs: PDFRef[] = [];
	// Field order = signing order: the chair first, then the organisation.
	for (const name of SIGNATURE_FIELDS) {
		const w = widgets.find((x) => x.name === name);
		if (!w) continue;
		const field = ctx.obj({
			Type: 'Annot',
			Subtype: 'Widget',
			FT: 'Sig',
			T: PDFString.of(w.name),
			TU: PDFHexString.fromText(labels[w.name]),
			F: 4,
			Rect: w.rect.map((n) => Math.round(n * 100) / 100),
			P: w.page.ref,
			// Signing this field locks it (FieldMDP); set now, because adding /Lock while signing is itself a change.
			Lock: { Type: 'SigFieldLock', Action: 'Include', Fields: [PDFString.of(w.name)] }
		});
		const ref = ctx.register(field);
		w.page.node.addAnnot(ref);
		refs.push(ref);
	}
	const acroForm = ctx.register(ctx.obj({ Fields: refs }));
	pdf.catalog.set(PDFName.of('AcroForm'), acroForm);
}

export async function renderResolution(doc: ResolutionDocument, opts: RenderOptions = {}): Promise<Uint8Array> {
	assertDocument(doc);
	const pdf = await PDFDocument.create({ updateMetadata: false });
	const fonts = (await embedTinos(pdf)) as TinosSet;
	const qrPng = await QRCode.toBuffer(doc.verification.url, {
		type: 'png',
		errorCorrectionLevel: 'M',
		margin: 1,
		width: 180
	});
	const qr = await pdf.embedPng(qrPng);

	const flow = new Flow(pdf);
	drawHeader(flow, doc, fonts);
	drawTitle(flow, doc, fonts);
	drawBody(flow, doc, fonts, closingHeight(doc, fonts));
	const widgets = drawClosing(flow, doc, fonts);
	drawFooters(flow.pages, doc, fonts, qr);
	if (opts.draftMark) drawDraftMark(flow.pages, fonts);
	addSignatureFields(pdf, widgets);

	const when = opts.renderedAt ?? new Date();
	pdf.setTitle(opts.draftMark ? 'Dự thảo nghị quyết' : `Nghị quyết số ${doc.number.normalize('NFC')}`);
	pdf.setSubject(doc.title.normalize('NFC'));
	pdf.setAuthor(upper(doc.councilFullName));
	pdf.setCreator('Nghị trường số');
	pdf.setProducer('Nghị trường số (pdf-lib)');
	pdf.setLanguage('vi-VN');
	pdf.setCreationDate(when);
	pdf.setModificationDate(when);
	// A file identifier; signatures do not need it but validators and archives like one.
	const id = PDFHexString.of(crypto.randomBytes(16).toString('hex'));
	pdf.context.trailerInfo.ID = pdf.context.obj([id, id]);

	// Classic xref table (no object streams): the incremental updates of signing chain onto it.
	return pdf.save({ useObjectStreams: false, updateFieldAppearances: false });
}
