/**
 * Tinos (metric-compatible with Times New Roman, full Vietnamese coverage) for the resolution
 * body and for signature appearances.
 *
 * Parsing a 400 KB TrueType file with fontkit costs milliseconds; signing embeds a font subset
 * for every visible signature, so the parsed fonts are cached for the life of the process.
 * pdf-lib only ever calls `fontkit.create(bytes)`, so a memoising wrapper is all it takes.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';

const require = createRequire(import.meta.url);

function load(file: string): Uint8Array {
	return new Uint8Array(fs.readFileSync(require.resolve(`@expo-google-fonts/tinos/${file}`)));
}

let files:
	| {
			regular: Uint8Array;
			bold: Uint8Array;
			italic: Uint8Array;
			boldItalic: Uint8Array;
	  }
	| undefined;

export function tinosFiles() {
	files ??= {
		regular: load('400Regular/Tinos_400Regular.ttf'),
		bold: load('700Bold/Tinos_700Bold.ttf'),
		italic: load('400Regular_Italic/Tinos_400Regular_Italic.ttf'),
		boldItalic: load('700Bold_Italic/Tinos_700Bold_Italic.ttf')
	};
	return files;
}

type FontkitLike = {
	create(data: Uint8Array, postscriptName?: string): unknown;
};
type GlyphBuffer = Uint8Array & { constructor: new (n: number) => Uint8Array };
interface TtfSubsetInternals {
	glyf: GlyphBuffer[];
	offset: number;
	_addGlyph(gid: number): number;
}
interface FontInternals {
	createSubset(): unknown;
}
const parsed = new WeakMap<Uint8Array, unknown>();

/**
 * Works around a bug in @pdf-lib/fontkit 1.1.1's TrueType subsetter: it switches the subset
 * to the short `loca` format (offsets stored divided by 2) but copies glyph records without
 * padding them to an even length. Tinos has odd-length glyphs, so every glyph after the first
 * odd one is misaddressed and viewers draw nothing (while text extraction still works).
 * Padding each glyph record with one zero byte is what the OpenType spec recommends anyway.
 */
function withEvenGlyphs(font: FontInternals): FontInternals {
	const createSubset = font.createSubset.bind(font);
	font.createSubset = () => {
		const subset = createSubset() as TtfSubsetInternals;
		if (typeof subset._addGlyph !== 'function') return subset; // CFF fonts: not affected
		const addGlyph = subset._addGlyph;
		subset._addGlyph = function (this: TtfSubsetInternals, gid: number) {
			const index = addGlyph.call(this, gid);
			const buf = this.glyf[this.glyf.length - 1];
			if (buf && buf.length % 2 === 1) {
				// Same Buffer class as fontkit's own (its restructure encoder expects it).
				const padded = new buf.constructor(buf.length + 1);
				padded.set(buf);
				this.glyf[this.glyf.length - 1] = padded as GlyphBuffer;
				this.offset += 1;
			}
			return index;
		};
		return subset;
	};
	return font;
}

/** fontkit with `create` memoised per byte array (identity); fonts are read-only after parsing. */
export const cachedFontkit: FontkitLike = {
	create(data: Uint8Array, postscriptName?: string) {
		let font = parsed.get(data);
		if (!font) {
			font = withEvenGlyphs((fontkit as unknown as FontkitLike).create(data, postscriptName) as FontInternals);
			parsed.set(data, font);
		}
		return font;
	}
};

export interface TinosSet {
	regular: PDFFont;
	bold: PDFFont;
	italic: PDFFont;
	boldItalic: PDFFont;
}

/** Embeds the faces as subsets: only the glyphs actually drawn end up in the file. */
export async function embedTinos(doc: PDFDocument, faces: (keyof TinosSet)[] = ['regular', 'bold', 'italic', 'boldItalic']) {
	doc.registerFontkit(cachedFontkit as Parameters<PDFDocument['registerFontkit']>[0]);
	const f = tinosFiles();
	const out: Partial<TinosSet> = {};
	for (const face of faces) out[face] = await doc.embedFont(f[face], { subset: true });
	return out;
}
