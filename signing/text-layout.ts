/**
 * Greedy word wrapping of mixed-font runs ("Điều 1." in bold followed by regular text).
 * Kept apart from the page layout so it can be reasoned about (and tested) on its own.
 */
/** Anything that can measure text: a pdf-lib MeasuringFont, or the cached appearance font. */
export interface MeasuringFont {
	widthOfTextAtSize(text: string, size: number): number;
}

export interface Run<F extends MeasuringFont = MeasuringFont> {
	text: string;
	font: F;
}

export interface LineRun<F extends MeasuringFont = MeasuringFont> {
	text: string;
	font: F;
	width: number;
}

export interface Line<F extends MeasuringFont = MeasuringFont> {
	runs: LineRun<F>[];
	width: number;
}

interface Token<F extends MeasuringFont> {
	text: string;
	font: F;
	space: boolean;
}

function tokenize<F extends MeasuringFont>(runs: Run<F>[]): Token<F>[] {
	const out: Token<F>[] = [];
	for (const run of runs) {
		for (const m of run.text.normalize('NFC').matchAll(/\s+|\S+/g)) {
			// Any run of whitespace (including newlines) collapses to a single space.
			out.push(/^\s/.test(m[0]) ? { text: ' ', font: run.font, space: true } : { text: m[0], font: run.font, space: false });
		}
	}
	return out;
}

/** Splits a word wider than the line into pieces that fit (long URLs, numbers). */
function breakWord(word: string, font: MeasuringFont, size: number, max: number): string[] {
	const pieces: string[] = [];
	let cur = '';
	for (const ch of word) {
		if (cur && font.widthOfTextAtSize(cur + ch, size) > max) {
			pieces.push(cur);
			cur = ch;
		} else cur += ch;
	}
	if (cur) pieces.push(cur);
	return pieces;
}

/**
 * Wraps runs into lines no wider than `maxWidth`; the first line may be indented.
 * Spaces at a line break are dropped, so copied text has no stray blanks.
 */
export function wrapRuns<F extends MeasuringFont>(runs: Run<F>[], size: number, maxWidth: number, firstIndent = 0): Line<F>[] {
	const lines: Line<F>[] = [];
	let items: LineRun<F>[] = [];
	let width = 0;
	let pendingSpace: LineRun<F> | null = null;
	const avail = () => maxWidth - (lines.length === 0 ? firstIndent : 0);
	const flush = () => {
		lines.push({ runs: merge(items), width });
		items = [];
		width = 0;
		pendingSpace = null;
	};
	for (const tok of tokenize(runs)) {
		if (tok.space) {
			if (items.length > 0)
				pendingSpace = {
					text: ' ',
					font: tok.font,
					width: tok.font.widthOfTextAtSize(' ', size)
				};
			continue;
		}
		const w = tok.font.widthOfTextAtSize(tok.text, size);
		const spaceW: number = pendingSpace ? (pendingSpace as LineRun<F>).width : 0;
		if (width + spaceW + w <= avail()) {
			if (pendingSpace) items.push(pendingSpace);
			items.push({ text: tok.text, font: tok.font, width: w });
			width += spaceW + w;
			pendingSpace = null;
			continue;
		}
		if (items.length > 0) flush();
		if (w <= avail()) {
			items.push({ text: tok.text, font: tok.font, width: w });
			width = w;
			continue;
		}
		const pieces = breakWord(tok.text, tok.font, size, avail());
		pieces.forEach((piece, i) => {
			const pw = tok.font.widthOfTextAtSize(piece, size);
			items.push({ text: piece, font: tok.font, width: pw });
			width = pw;
			if (i < pieces.length - 1) flush();
		});
	}
	if (items.length > 0) flush();
	return lines;
}

/** Neighbouring pieces in the same font become one text-showing operation. */
function merge<F extends MeasuringFont>(items: LineRun<F>[]): LineRun<F>[] {
	const out: LineRun<F>[] = [];
	for (const it of items) {
		const last = out[out.length - 1];
		if (last && last.font === it.font) {
			last.text += it.text;
			last.width += it.width;
		} else out.push({ ...it });
	}
	return out;
}
