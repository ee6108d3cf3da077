/**
 * A ready-made Tinos subset for signature appearances.
 *
 * Subsetting and compressing a TrueType font with fontkit costs ~7 ms per face, which would be
 * most of the signing time. The text of an appearance is short and Vietnamese, so once per
 * process we build ONE subset covering ASCII and the whole Vietnamese alphabet, compress it, and
 * keep the bytes; each signature then only writes these cached bytes as new PDF objects.
 * Characters outside the set fall back to their base letter (diacritics stripped) or "?".
 */
import zlib from 'node:zlib';
import { PDFHexString, PDFString, type PDFContext, type PDFRef } from 'pdf-lib';
import { cachedFontkit, tinosFiles } from './fonts.js';

const VIETNAMESE =
	'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư' +
	Array.from({ length: 0x1ef9 - 0x1ea0 + 1 }, (_, i) => String.fromCodePoint(0x1ea0 + i)).join('');
const ASCII = Array.from({ length: 0x7e - 0x20 + 1 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const EXTRA = '–—‘’“”…·•°№';
const CHARSET = [...new Set([...ASCII, ...VIETNAMESE, ...EXTRA])];

interface FontkitGlyph {
	id: number;
	advanceWidth: number;
}
interface FontkitFont {
	unitsPerEm: number;
	ascent: number;
	descent: number;
	capHeight: number;
	italicAngle: number;
	bbox: { minX: number; minY: number; maxX: number; maxY: number };
	postscriptName: string;
	glyphForCodePoint(cp: number): FontkitGlyph;
	createSubset(): {
		includeGlyph(g: FontkitGlyph | number): number;
		encodeStream(): NodeJS.ReadableStream;
	};
}

export interface AppearanceFont {
	/** Subset glyph id per code point. */
	gid: Map<number, number>;
	/** Advance width in 1/1000 em per code point. */
	width: Map<number, number>;
	fontFile: Buffer; // FlateDecode-compressed TrueType
	fontFileLength: number;
	toUnicode: Buffer; // FlateDecode-compressed CMap
	widths: number[][]; // /W array entries: [gid, [w]] pairs flattened later
	descriptor: {
		ascent: number;
		descent: number;
		capHeight: number;
		italicAngle: number;
		bbox: number[];
	};
	baseFont: string;
}

let cached: Promise<AppearanceFont> | undefined;

export function appearanceFont(): Promise<AppearanceFont> {
	cached ??= build();
	return cached;
}

async function build(): Promise<AppearanceFont> {
	const font = cachedFontkit.create(tinosFiles().regular) as FontkitFont;
	const scale = 1000 / font.unitsPerEm;
	const subset = font.createSubset();
	const gid = new Map<number, number>();
	const width = new Map<number, number>();
	for (const ch of CHARSET) {
		const cp = ch.codePointAt(0)!;
		const g = font.glyphForCodePoint(cp);
		if (!g || g.id === 0) continue;
		gid.set(cp, subset.includeGlyph(g));
		width.set(cp, Math.round(g.advanceWidth * scale));
	}
	const ttf = await new Promise<Buffer>((resolve, reject) => {
		const parts: Buffer[] = [];
		subset
			.encodeStream()
			.on('data', (d: Uint8Array) => parts.push(Buffer.from(d)))
			.on('end', () => resolve(Buffer.concat(parts)))
			.on('error', reject);
	});
	const byGid = [...gid.entries()].sort((a, b) => a[1] - b[1]);
	const cmap = [
		'/CIDInit /ProcSet findresource begin',
		'12 dict begin',
		'begincmap',
		'/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
		'/CMapName /Adobe-Identity-UCS def',
		'/CMapType 2 def',
		'1 begincodespacerange',
		'<0000><ffff>',
		'endcodespacerange',
		...chunk(byGid, 100).flatMap((c) => [`${c.length} beginbfchar`, ...c.map(([cp, g]) => `<${hex4(g)}> <${utf16Hex(cp)}>`), 'endbfchar']),
		'endcmap',
		'CMapName currentdict /CMap defineresource pop',
		'end',
		'end'
	].join('\n');
	return {
		gid,
		width,
		fontFile: zlib.deflateSync(ttf),
		fontFileLength: ttf.length,
		toUnicode: zlib.deflateSync(Buffer.from(cmap, 'latin1')),
		widths: byGid.map(([cp, g]) => [g, width.get(cp)!]),
		descriptor: {
			ascent: Math.round(font.ascent * scale),
			descent: Math.round(font.descent * scale),
			capHeight: Math.round((font.capHeight || font.ascent) * scale),
			italicAngle: font.italicAngle,
			bbox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map((n) => Math.round(n * scale))
		},
		// Subset fonts are named with a six-letter tag (ISO 32000-1 §9.6.4).
		baseFont: `NTSAPP+${font.postscriptName}`
	};
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const utf16Hex = (cp: number) => Buffer.from(String.fromCodePoint(cp), 'utf16le').swap16().toString('hex');
function chunk<T>(a: T[], n: number): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n));
	return out;
}

/** Maps text onto the characters the subset has (NFC first; then without diacritics; else "?"). */
export function supported(f: AppearanceFont, text: string): string {
	let out = '';
	for (const ch of text.normalize('NFC')) {
		if (f.gid.has(ch.codePointAt(0)!)) out += ch;
		else {
			const base = ch.normalize('NFD').replace(/\p{M}/gu, '');
			out += base && [...base].every((c) => f.gid.has(c.codePointAt(0)!)) ? base : '?';
		}
	}
	return out;
}

/** A measuring object compatible with text-layout's wrapRuns. */
export function measurer(f: AppearanceFont) {
	return {
		widthOfTextAtSize(text: string, size: number) {
			let w = 0;
			for (const ch of text) w += f.width.get(ch.codePointAt(0)!) ?? 500;
			return (w * size) / 1000;
		}
	};
}

export function encodeText(f: AppearanceFont, text: string): PDFHexString {
	let hex = '';
	for (const ch of text) hex += hex4(f.gid.get(ch.codePointAt(0)!) ?? 0);
	return PDFHexString.of(hex);
}

/** Writes the font (Type0 → CIDFontType2 → descriptor → file) into `ctx`; returns the Type0 ref. */
export function registerFont(ctx: PDFContext, f: AppearanceFont): PDFRef {
	const fontFile = ctx.register(
		ctx.stream(f.fontFile, {
			Filter: 'FlateDecode',
			Length1: f.fontFileLength
		})
	);
	const toUnicode = ctx.register(ctx.stream(f.toUnicode, { Filter: 'FlateDecode' }));
	const descriptor = ctx.register(
		ctx.obj({
			Type: 'FontDescriptor',
			FontName: f.baseFont,
			Flags: 6, // serif + symbolic (glyphs addressed by id)
			FontBBox: f.descriptor.bbox,
			ItalicAngle: f.descriptor.italicAngle,
			Ascent: f.descriptor.ascent,
			Descent: f.descriptor.descent,
			CapHeight: f.descriptor.capHeight,
			StemV: 80,
			FontFile2: fontFile
		})
	);
	const cidFont = ctx.register(
		ctx.obj({
			Type: 'Font',
			Subtype: 'CIDFontType2',
			BaseFont: f.baseFont,
			CIDSystemInfo: {
				Registry: PDFString.of('Adobe'),
				Ordering: PDFString.of('Identity'),
				Supplement: 0
			},
			FontDescriptor: descriptor,
			CIDToGIDMap: 'Identity',
			W: f.widths.flatMap(([g, w]) => [g, [w]])
		})
	);
	return ctx.register(
		ctx.obj({
			Type: 'Font',
			Subtype: 'Type0',
			BaseFont: f.baseFont,
			Encoding: 'Identity-H',
			DescendantFonts: [cidFont],
			ToUnicode: toUnicode
		})
	);
}
