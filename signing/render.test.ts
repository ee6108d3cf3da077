import fontkit from '@pdf-lib/fontkit';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { isSigningError } from './errors.js';
import { LONG_ARTICLE_TEXT, sampleResolution } from './fixtures.js';
import { renderResolution } from './render.js';
import { run, tmpDir, writeTmp } from './test-helpers.js';
import { pdfDateVn, vnDateLine, vnDateTime } from './vn-time.js';

let pdf: Uint8Array;
let text: string;
let file: string;

/** pdftotext output with line breaks and runs of spaces folded, so wrapped text compares whole. */
const flat = (s: string) => s.normalize('NFC').replace(/\s+/g, ' ');

beforeAll(async () => {
	pdf = await renderResolution(sampleResolution());
	file = writeTmp(tmpDir(), 'nq.pdf', pdf);
	const r = run('pdftotext', ['-enc', 'UTF-8', file, '-']);
	expect(r.status, r.out).toBe(0);
	text = r.stdout;
});

describe('renderResolution', () => {
	it('produces a 3-page A4 PDF that qpdf accepts', () => {
		const info = run('pdfinfo', [file]).stdout;
		expect(info).toMatch(/Pages:\s+3\b/);
		expect(info).toMatch(/Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
		const check = run('qpdf', ['--check', file]);
		expect(check.status, check.out).toBe(0);
		expect(check.out).toContain('No syntax or stream encoding errors');
	});

	it('gives back the exact Vietnamese text through pdftotext', () => {
		const t = flat(text);
		for (const s of [
			'HỘI ĐỒNG NHÂN DÂN',
			'PHƯỜNG BẾN THÀNH',
			'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
			'Độc lập - Tự do - Hạnh phúc',
			'Số: 05/2026/NQ-HĐND',
			'Bến Thành, ngày 12 tháng 11 năm 2026',
			'NGHỊ QUYẾT',
			'HỘI ĐỒNG NHÂN DÂN PHƯỜNG BẾN THÀNH',
			'KHÓA I, KỲ HỌP THỨ 3',
			'Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;',
			'QUYẾT NGHỊ:',
			'Điều 1. Thông qua kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030',
			'Điều 4. Nghị quyết này đã được Hội đồng nhân dân phường Bến Thành khóa I',
			`1. ${LONG_ARTICLE_TEXT}`,
			'Nơi nhận:',
			'- Ủy ban MTTQ Việt Nam phường;',
			'TM. HỘI ĐỒNG NHÂN DÂN',
			'CHỦ TỊCH',
			'Nguyễn Thị Ánh Hồng',
			'Mã xác thực: BT-2026-05-7QK4'
		]) {
			expect(t, s).toContain(s.normalize('NFC'));
		}
		// Text comes out precomposed (NFC), not as base letters plus combining marks.
		expect(text).toBe(text.normalize('NFC'));
	});

	it('numbers the pages from page 2 in the top margin and repeats the footer with QR code on every page', async () => {
		const pages = text.split('\f').filter((p) => p.trim());
		expect(pages).toHaveLength(3);
		pages.forEach((p, i) => {
			// pdftotext reads top to bottom: the number is the first line of pages 2 and 3, and page 1 has none.
			const firstLine = p.split('\n').find((l) => l.trim())!.trim();
			if (i === 0) expect(firstLine).toBe('HỘI ĐỒNG NHÂN DÂN');
			else expect(firstLine).toBe(String(i + 1));
			expect(p).not.toMatch(/Trang \d/);
			expect(p).toContain('Mã xác thực: BT-2026-05-7QK4');
		});
		const doc = await PDFDocument.load(pdf);
		for (const page of doc.getPages()) {
			const xobjects = page.node.Resources()?.lookupMaybe(PDFName.of('XObject'), PDFDict);
			expect(xobjects?.keys().length ?? 0).toBeGreaterThan(0);
		}
	});

	it('keeps the page number centred in the top margin and the footer at least 10 mm above the paper edge', () => {
		const r = run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
		const words = [...r.stdout.matchAll(/<page width="([\d.]+)" height="([\d.]+)">|<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)];
		let page = 0;
		let height = 0;
		const mm = 72 / 25.4;
		for (const m of words) {
			if (m[1]) {
				page++;
				height = Number(m[2]);
				continue;
			}
			const [xMin, yMin, xMax, yMax, word] = [Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7]];
			expect(height - yMax, `"${word}" on page ${page}`).toBeGreaterThanOrEqual(10 * mm - 0.5);
			if (page > 1 && word === String(page) && yMax < 20 * mm) {
				// Centred between the margins of Decree 30 (left 30 mm, right 15 mm).
				expect(Math.abs((xMin + xMax) / 2 - (30 * mm + (595.28 - 15 * mm)) / 2)).toBeLessThan(1);
				expect(yMin).toBeGreaterThan(5 * mm);
			}
		}
		expect(page).toBe(3);
	});

	it('never leaves the signature block alone on a page: the last paragraph is on its page', async () => {
		// Articles long enough that the block would fall alone on a new page without the rule, whatever the fixture.
		for (let extra = 0; extra < 12; extra++) {
			const doc = sampleResolution();
			doc.articles = [...doc.articles, ...Array.from({ length: extra }, (_, k) => ({ paragraphs: [`Khoản bổ sung ${k + 1}. ${LONG_ARTICLE_TEXT}`] }))];
			const f = writeTmp(tmpDir(), 'nq.pdf', await renderResolution(doc));
			const pages = run('pdftotext', ['-enc', 'UTF-8', f, '-']).stdout.split('\f').filter((p) => p.trim());
			const last = flat(pages.at(-1)!);
			expect(last, `${extra} extra articles`).toContain('TM. HỘI ĐỒNG NHÂN DÂN');
			const lastArticle = doc.articles.at(-1)!.paragraphs.at(-1)!.normalize('NFC');
			expect(last, `${extra} extra articles`).toContain(lastArticle.slice(-40));
		}
	});

	it('embeds Tinos as subsets (fonts are small, and embedded)', () => {
		const fonts = run('pdffonts', [file]).stdout;
		expect(fonts).toMatch(/Tinos/);
		const rows = fonts.split('\n').filter((l) => l.includes('Tinos'));
		expect(rows.length).toBeGreaterThanOrEqual(3);
		for (const r of rows) expect(r).toMatch(/CID TrueType\s+Identity-H\s+yes\s+\S+\s+yes/);
		expect(pdf.length).toBeLessThan(400_000); // four full Tinos faces would be well over 1 MB
	});

	it('embeds font subsets whose every glyph decodes (fontkit short-loca padding fix)', async () => {
		const doc = await PDFDocument.load(pdf);
		let checked = 0;
		for (const [, obj] of doc.context.enumerateIndirectObjects()) {
			if (!(obj instanceof PDFDict)) continue;
			const ffRef = obj.get(PDFName.of('FontFile2'));
			if (!ffRef) continue;
			const ff = doc.context.lookup(ffRef);
			if (!(ff instanceof PDFRawStream)) throw new Error('FontFile2 is not a stream');
			const bytes = decodePDFRawStream(ff).decode();
			const font = fontkit.create(bytes) as unknown as {
				numGlyphs: number;
				getGlyph(i: number): { path: { commands: unknown[] } };
			};
			for (let g = 1; g < font.numGlyphs; g++) {
				// Without the fix this throws "Trying to access beyond buffer length" or yields empty outlines.
				expect(() => font.getGlyph(g).path).not.toThrow();
			}
			const outlines = Array.from({ length: font.numGlyphs - 1 }, (_, g) => font.getGlyph(g + 1).path.commands.length);
			// Every glyph except the space has an outline.
			expect(outlines.filter((n) => n === 0).length).toBeLessThanOrEqual(1);
			checked++;
		}
		expect(checked).toBe(4);
	});

	it('contains the two empty signature fields with unique names and widget rectangles', async () => {
		const doc = await PDFDocument.load(pdf);
		const acro = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
		const fields = acro.lookup(PDFName.of('Fields'), PDFArray);
		const byName = new Map<string, PDFDict>();
		for (let i = 0; i < fields.size(); i++) {
			const f = fields.lookup(i, PDFDict);
			byName.set((f.get(PDFName.of('T')) as PDFString).decodeText(), f);
		}
		expect([...byName.keys()]).toEqual(['sig_chair', 'sig_org']);
		const last = doc.getPages()[2];
		const annots = last.node.Annots();
		expect(annots?.size()).toBe(2);
		for (const f of byName.values()) {
			expect(f.get(PDFName.of('FT'))).toBe(PDFName.of('Sig'));
			expect(f.get(PDFName.of('V'))).toBeUndefined();
			const [x1, y1, x2, y2] = f
				.lookup(PDFName.of('Rect'), PDFArray)
				.asArray()
				.map((n) => Number(n.toString()));
			expect(x2 - x1).toBeGreaterThan(80);
			expect(y2 - y1).toBeGreaterThan(60);
			expect(f.get(PDFName.of('P'))).toBe(last.ref);
		}
		// The seal sits left of the chair's signature, on the same row, without overlap.
		const rect = (n: string) =>
			byName
				.get(n)!
				.lookup(PDFName.of('Rect'), PDFArray)
				.asArray()
				.map((v) => Number(v.toString()));
		expect(rect('sig_org')[2]).toBeLessThanOrEqual(rect('sig_chair')[0]);
	});

	it('ends in a classic xref table (no object streams), ready for incremental updates', () => {
		const s = Buffer.from(pdf).toString('latin1');
		const sx = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(s)?.[1]);
		expect(s.slice(sx, sx + 4)).toBe('xref');
		expect(s).not.toContain('/ObjStm');
	});

	it('refuses incomplete documents with INVALID_DOCUMENT', async () => {
		const bad = { ...sampleResolution(), articles: [], number: ' ' };
		const err = await renderResolution(bad).catch((e) => e);
		expect(isSigningError(err, 'INVALID_DOCUMENT')).toBe(true);
		expect(String(err.message)).toContain('articles');
		expect(String(err.message)).toContain('number');
	});
});

describe('Vietnam dates', () => {
	it('formats in Asia/Ho_Chi_Minh whatever the UTC date is', () => {
		// 20:00 UTC on 11 Nov is already 12 Nov, 03:00 in Vietnam.
		const d = new Date('2026-11-11T20:00:00Z');
		expect(vnDateLine('Bến Thành', d)).toBe('Bến Thành, ngày 12 tháng 11 năm 2026');
		expect(pdfDateVn(d)).toBe("D:20261112030000+07'00'");
		expect(vnDateTime(new Date('2026-11-12T02:30:00Z'))).toBe('12/11/2026 09:30:00 (GMT+7)');
	});
	it('pads days below 10 and the months 1 and 2 only (Decree 30)', () => {
		expect(vnDateLine('Xã Cần Giờ', new Date('2026-02-05T03:00:00Z'))).toBe('Xã Cần Giờ, ngày 05 tháng 02 năm 2026');
		expect(vnDateLine('Côn Đảo', new Date('2026-03-09T03:00:00Z'))).toBe('Côn Đảo, ngày 09 tháng 3 năm 2026');
	});
});
