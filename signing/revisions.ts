/**
 * The revisions of a PDF as a reader sees them: each revision is the object table reached from one
 * `startxref` (classic tables, cross-reference streams and hybrids, following /Prev), and an object
 * is whatever that table points at. This is what a viewer displays, so it is what the verifier
 * compares: scanning the bytes for objects (as pdf-lib's parser does) would miss an update that
 * only re-points the table at an object hidden earlier in the signed bytes.
 *
 * Everything is bounded: the /Prev chain, the number of entries, the size of a decoded stream.
 */
import zlib from 'node:zlib';
import { PDFArray, PDFContext, PDFDict, PDFHexString, PDFName, PDFNumber, PDFObjectParser, PDFRawStream, PDFRef, PDFString, type PDFObject } from 'pdf-lib';
import { SigningError } from './errors.js';
import { latin1 } from './pdf-tail.js';

export type ObjectLocation = { kind: 'offset'; offset: number; gen: number } | { kind: 'compressed'; stream: number; index: number } | { kind: 'free' };

const MAX_SECTIONS = 256;
const MAX_ENTRIES = 1_000_000;
/** Decoded xref and object streams; far above what a resolution needs, far below a bomb. */
const MAX_DECODED = 32 * 1024 * 1024;

const malformed = (why: string): never => {
	throw new SigningError('MALFORMED_PDF', why);
};

const num = (o: PDFObject | undefined): number | undefined => (o instanceof PDFNumber ? o.asNumber() : undefined);

/** FlateDecode (with PNG predictors) or no filter; anything else is refused rather than guessed. */
export function decodeStream(stream: PDFRawStream): Uint8Array {
	const filter = stream.dict.get(PDFName.of('Filter'));
	const filters = filter instanceof PDFArray ? filter.asArray() : filter ? [filter] : [];
	if (filters.length > 1 || (filters[0] && filters[0] !== PDFName.of('FlateDecode'))) malformed(`unsupported stream filter ${String(filter)}`);
	let data: Uint8Array = stream.contents;
	if (filters.length === 1) {
		try {
			data = zlib.inflateSync(data, { maxOutputLength: MAX_DECODED });
		} catch (e) {
			throw new SigningError('MALFORMED_PDF', 'a compressed stream is damaged or too large', { cause: e });
		}
	}
	const parms = stream.dict.get(PDFName.of('DecodeParms'));
	const predictor = parms instanceof PDFDict ? (num(parms.get(PDFName.of('Predictor'))) ?? 1) : 1;
	if (predictor === 1) return data;
	if (predictor < 10) malformed('TIFF predictors are not supported');
	const columns = num((parms as PDFDict).get(PDFName.of('Columns'))) ?? 1;
	return undoPngPredictor(data, columns);
}

/** PNG row filters (one filter byte per row), one byte per pixel as in xref streams. */
function undoPngPredictor(data: Uint8Array, columns: number): Uint8Array {
	if (!(columns > 0 && columns < 1024)) malformed('bad /Columns');
	const rowLen = columns + 1;
	const rows = Math.floor(data.length / rowLen);
	const out = new Uint8Array(rows * columns);
	for (let r = 0; r < rows; r++) {
		const type = data[r * rowLen];
		for (let i = 0; i < columns; i++) {
			const x = data[r * rowLen + 1 + i];
			const left = i > 0 ? out[r * columns + i - 1] : 0;
			const up = r > 0 ? out[(r - 1) * columns + i] : 0;
			const upLeft = r > 0 && i > 0 ? out[(r - 1) * columns + i - 1] : 0;
			let v: number;
			if (type === 0) v = x;
			else if (type === 1) v = x + left;
			else if (type === 2) v = x + up;
			else if (type === 3) v = x + ((left + up) >> 1);
			else if (type === 4) {
				const p = left + up - upLeft;
				const pa = Math.abs(p - left);
				const pb = Math.abs(p - up);
				const pc = Math.abs(p - upLeft);
				v = x + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
			} else return malformed('bad PNG predictor row');
			out[r * columns + i] = v & 0xff;
		}
	}
	return out;
}

interface RawByteStream {
	bytes: Uint8Array;
	length: number;
	offset(): number;
	moveTo(offset: number): void;
}

/**
 * pdf-lib's object parser, except for hex strings: pdf-lib appends them a character at a time, and a file of
 * megabyte-long signature /Contents then costs seconds of garbage collection. Here a hex string is one slice.
 */
class ObjectParser extends PDFObjectParser {
	static at(bytes: Uint8Array, ctx: PDFContext): ObjectParser {
		return Object.setPrototypeOf(PDFObjectParser.forBytes(bytes, ctx), ObjectParser.prototype) as ObjectParser;
	}

	protected override parseHexString(): PDFHexString {
		const stream = this.bytes as unknown as RawByteStream;
		const start = stream.offset();
		if (stream.bytes[start] !== 0x3c) malformed('expected a hex string');
		const end = stream.bytes.indexOf(0x3e, start + 1);
		if (end < 0 || end >= stream.length) malformed('unterminated hex string');
		stream.moveTo(end + 1);
		return PDFHexString.of(latin1(stream.bytes, start + 1, end));
	}
}

/** Parses the indirect object whose "N G obj" header is at `offset`. */
function parseObjectAt(bytes: Uint8Array, offset: number, ctx: PDFContext, expect: { num: number; gen: number }): PDFObject {
	const header = /^(\d{1,10})\s+(\d{1,5})\s+obj\b/.exec(latin1(bytes, offset, Math.min(bytes.length, offset + 32)));
	if (!header || Number(header[1]) !== expect.num || Number(header[2]) !== expect.gen) malformed(`the table's offset of object ${expect.num} is wrong`);
	return ObjectParser.at(bytes.subarray(offset + header![0].length), ctx).parseObject();
}

interface XrefSection {
	entries: [number, ObjectLocation][];
	trailer: PDFDict;
}

function classicSection(bytes: Uint8Array, at: number, ctx: PDFContext): XrefSection {
	const text = latin1(bytes, at + 4, Math.min(bytes.length, at + 4 + 32 * 1024 * 1024));
	const t = text.indexOf('trailer');
	if (t < 0) malformed('xref table without trailer');
	const tokens = text.slice(0, t).trim().split(/\s+/).filter(Boolean);
	const entries: [number, ObjectLocation][] = [];
	for (let i = 0; i + 1 < tokens.length; ) {
		const start = Number(tokens[i]);
		const count = Number(tokens[i + 1]);
		i += 2;
		if (!Number.isInteger(start) || !Number.isInteger(count) || count < 0 || i + count * 3 > tokens.length) malformed('bad xref subsection');
		for (let k = 0; k < count; k++, i += 3) {
			const gen = Number(tokens[i + 1]);
			entries.push([start + k, tokens[i + 2] === 'n' ? { kind: 'offset', offset: Number(tokens[i]), gen } : { kind: 'free' }]);
		}
	}
	const trailer = ObjectParser.at(bytes.subarray(at + 4 + t + 'trailer'.length), ctx).parseObject();
	if (!(trailer instanceof PDFDict)) malformed('trailer is not a dictionary');
	return { entries, trailer: trailer as PDFDict };
}

function streamSection(bytes: Uint8Array, at: number, ctx: PDFContext): XrefSection {
	const header = /^(\d{1,10})\s+(\d{1,5})\s+obj\b/.exec(latin1(bytes, at, Math.min(bytes.length, at + 32)));
	if (!header) malformed('startxref points at neither a table nor a stream');
	const stream = parseObjectAt(bytes, at, ctx, { num: Number(header![1]), gen: Number(header![2]) });
	if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('XRef')) malformed('not a cross-reference stream');
	const dict = (stream as PDFRawStream).dict;
	const w = dict.get(PDFName.of('W'));
	const widths = w instanceof PDFArray ? w.asArray().map((x) => num(x) ?? -1) : [];
	if (widths.length !== 3 || widths.some((x) => x < 0 || x > 8)) malformed('bad /W in xref stream');
	const index = dict.get(PDFName.of('Index'));
	const size = num(dict.get(PDFName.of('Size'))) ?? 0;
	const ranges = index instanceof PDFArray ? index.asArray().map((x) => num(x) ?? -1) : [0, size];
	const data = decodeStream(stream as PDFRawStream);
	const rowLen = widths[0] + widths[1] + widths[2];
	let pos = 0;
	const field = (width: number, fallback: number) => {
		if (width === 0) return fallback;
		let v = 0;
		for (let i = 0; i < width; i++) v = v * 256 + data[pos++];
		return v;
	};
	const entries: [number, ObjectLocation][] = [];
	for (let r = 0; r + 1 < ranges.length; r += 2) {
		const [start, count] = [ranges[r], ranges[r + 1]];
		if (start < 0 || count < 0 || pos + count * rowLen > data.length || entries.length + count > MAX_ENTRIES) malformed('bad /Index in xref stream');
		for (let k = 0; k < count; k++) {
			const type = field(widths[0], 1);
			const a = field(widths[1], 0);
			const b = field(widths[2], 0);
			const loc: ObjectLocation | null =
				type === 0 ? { kind: 'free' } : type === 1 ? { kind: 'offset', offset: a, gen: b } : type === 2 ? { kind: 'compressed', stream: a, index: b } : null;
			if (loc) entries.push([start + k, loc]); // unknown types are to be ignored (ISO 32000-1, 7.5.8.3)
		}
	}
	return { entries, trailer: dict };
}

/** Some writers point `startxref` at the line break before the section; readers accept that. */
function skipWhitespace(bytes: Uint8Array, at: number): number {
	let p = at;
	while (p < bytes.length && p - at < 64 && (bytes[p] === 0x0a || bytes[p] === 0x0d || bytes[p] === 0x20 || bytes[p] === 0x09)) p++;
	return p;
}

export class Revision {
	readonly context = PDFContext.create();
	readonly entries = new Map<number, ObjectLocation>();
	readonly trailer: PDFDict;
	/** How many cross-reference sections the /Prev chain has: 1 for the original file. */
	readonly number: number;
	private readonly cache = new Map<number, PDFObject | undefined>();
	private readonly objectStreams = new Map<number, { data: Uint8Array; first: number; offsets: number[] }>();

	constructor(
		readonly bytes: Uint8Array,
		startxref: number
	) {
		const seen = new Set<number>();
		let newest: PDFDict | undefined;
		let sections = 0;
		const add = (section: XrefSection) => {
			// Newer sections come first; an entry already set by a newer one wins.
			for (const [n, loc] of section.entries) if (!this.entries.has(n)) this.entries.set(n, loc);
			if (this.entries.size > MAX_ENTRIES) malformed('too many objects');
		};
		let at: number | undefined = startxref;
		while (at !== undefined) {
			at = skipWhitespace(bytes, at);
			if (seen.has(at) || seen.size >= MAX_SECTIONS || !(at >= 0 && at < bytes.length)) malformed('broken /Prev chain');
			seen.add(at);
			sections++;
			const isTable = latin1(bytes, at, Math.min(bytes.length, at + 4)) === 'xref';
			const section = isTable ? classicSection(bytes, at, this.context) : streamSection(bytes, at, this.context);
			add(section);
			// A hybrid file's table is completed by the stream it names (ISO 32000-1, 7.5.8.4).
			const hybrid = num(section.trailer.get(PDFName.of('XRefStm')));
			if (isTable && hybrid !== undefined && !seen.has(hybrid) && hybrid < bytes.length) {
				seen.add(hybrid);
				add(streamSection(bytes, hybrid, this.context));
			}
			newest ??= section.trailer;
			const prev = num(section.trailer.get(PDFName.of('Prev')));
			at = prev;
		}
		this.trailer = newest!;
		this.number = sections;
	}

	get rootRef(): PDFRef | undefined {
		const r = this.trailer.get(PDFName.of('Root'));
		return r instanceof PDFRef ? r : undefined;
	}

	location(objectNumber: number): ObjectLocation | undefined {
		return this.entries.get(objectNumber);
	}

	/** The object a reader gets for `n` (any generation the table lists), or undefined if free or absent. */
	object(n: number): PDFObject | undefined {
		if (this.cache.has(n)) return this.cache.get(n);
		const loc = this.entries.get(n);
		let obj: PDFObject | undefined;
		if (loc?.kind === 'offset') obj = parseObjectAt(this.bytes, loc.offset, this.context, { num: n, gen: loc.gen });
		else if (loc?.kind === 'compressed') obj = this.fromObjectStream(loc.stream, loc.index);
		this.cache.set(n, obj);
		return obj;
	}

	resolve(v: PDFObject | undefined): PDFObject | undefined {
		return v instanceof PDFRef ? this.object(v.objectNumber) : v;
	}

	dict(v: PDFObject | undefined): PDFDict | undefined {
		const o = this.resolve(v);
		return o instanceof PDFDict ? o : undefined;
	}

	array(v: PDFObject | undefined): PDFArray | undefined {
		const o = this.resolve(v);
		return o instanceof PDFArray ? o : undefined;
	}

	private fromObjectStream(streamNumber: number, index: number): PDFObject | undefined {
		let parsed = this.objectStreams.get(streamNumber);
		if (!parsed) {
			const loc = this.entries.get(streamNumber);
			if (loc?.kind !== 'offset') return malformed(`object stream ${streamNumber} is not a plain object`);
			const stream = parseObjectAt(this.bytes, loc.offset, this.context, { num: streamNumber, gen: loc.gen });
			if (!(stream instanceof PDFRawStream) || stream.dict.get(PDFName.of('Type')) !== PDFName.of('ObjStm')) return malformed('not an object stream');
			const data = decodeStream(stream);
			const n = num(stream.dict.get(PDFName.of('N'))) ?? 0;
			const first = num(stream.dict.get(PDFName.of('First'))) ?? 0;
			const head = latin1(data, 0, Math.min(first, data.length)).trim().split(/\s+/).map(Number);
			if (!(n >= 0 && head.length >= 2 * n)) malformed('bad object stream header');
			const offsets = Array.from({ length: n }, (_, i) => head[2 * i + 1]);
			parsed = { data, first, offsets };
			this.objectStreams.set(streamNumber, parsed);
		}
		const off = parsed.offsets[index];
		if (off === undefined || !(parsed.first + off < parsed.data.length)) return undefined;
		return ObjectParser.at(parsed.data.subarray(parsed.first + off), this.context).parseObject();
	}
}

/** The revision that ends at `end` (its last `startxref`), e.g. the bytes a signature covers. */
export function revisionEndingAt(bytes: Uint8Array, end: number): Revision {
	const tail = latin1(bytes, Math.max(0, end - 2048), end);
	const eof = tail.lastIndexOf('%%EOF');
	if (eof < 0) throw new SigningError('TRUNCATED_PDF', 'no %%EOF at the end');
	const sx = tail.lastIndexOf('startxref', eof);
	const m = sx < 0 ? null : /^startxref\s+(\d{1,12})\s/.exec(tail.slice(sx, eof));
	if (!m) malformed('no startxref before the end of the revision');
	const startxref = Number(m![1]);
	if (startxref >= end) malformed('startxref beyond the end of its revision');
	return new Revision(bytes.subarray(0, end), startxref);
}

const bytesEqual = (a: Uint8Array, b: Uint8Array) => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

/**
 * Whether two PDF values mean the same (strings by their bytes however escaped, numbers by value,
 * references by number and generation, streams by dictionary and raw data). Depth-limited.
 */
export function sameValue(a: PDFObject | undefined, b: PDFObject | undefined, depth = 0): boolean {
	if (a === b) return true;
	if (a === undefined || b === undefined || depth > 64) return false;
	const text = (o: PDFObject) => (o instanceof PDFString || o instanceof PDFHexString ? o.asBytes() : undefined);
	const ta = text(a);
	const tb = text(b);
	if (ta || tb) return !!ta && !!tb && bytesEqual(ta, tb);
	if (a instanceof PDFNumber || b instanceof PDFNumber) return a instanceof PDFNumber && b instanceof PDFNumber && a.asNumber() === b.asNumber();
	if (a instanceof PDFRef || b instanceof PDFRef) return false; // refs are interned: equal ones are ===
	if (a instanceof PDFArray || b instanceof PDFArray) {
		if (!(a instanceof PDFArray && b instanceof PDFArray) || a.size() !== b.size()) return false;
		return a.asArray().every((x, i) => sameValue(x, b.get(i), depth + 1));
	}
	if (a instanceof PDFRawStream || b instanceof PDFRawStream) {
		return a instanceof PDFRawStream && b instanceof PDFRawStream && sameValue(a.dict, b.dict, depth + 1) && bytesEqual(a.contents, b.contents);
	}
	if (a instanceof PDFDict || b instanceof PDFDict) {
		if (!(a instanceof PDFDict && b instanceof PDFDict)) return false;
		const ka = a.keys();
		if (ka.length !== b.keys().length) return false;
		return ka.every((k) => sameValue(a.get(k), b.get(k), depth + 1));
	}
	return a.toString() === b.toString(); // names are interned; booleans and null print the same
}

export interface ObjectChange {
	objectNumber: number;
	before: PDFObject | undefined;
	/** undefined: the object was freed. */
	after: PDFObject | undefined;
}

const sameLocation = (a: ObjectLocation | undefined, b: ObjectLocation | undefined) =>
	!!a &&
	!!b &&
	((a.kind === 'offset' && b.kind === 'offset' && a.offset === b.offset && a.gen === b.gen) ||
		(a.kind === 'compressed' && b.kind === 'compressed' && a.stream === b.stream && a.index === b.index) ||
		(a.kind === 'free' && b.kind === 'free'));

/**
 * Objects that differ between two revisions of one file, as a reader would resolve them. Objects at
 * the same place are the same bytes (the earlier revision is a prefix); anything re-pointed or
 * rewritten is parsed in both and compared. Cross-reference and object streams are containers,
 * judged through the objects they hold.
 */
export function changedObjects(before: Revision, after: Revision): ObjectChange[] {
	const out: ObjectChange[] = [];
	const numbers = new Set([...before.entries.keys(), ...after.entries.keys()]);
	for (const n of numbers) {
		const a = before.location(n);
		const b = after.location(n);
		if (sameLocation(a, b) && (a!.kind !== 'compressed' || sameLocation(before.location(a!.stream), after.location(a!.stream)))) continue;
		const was = a && a.kind !== 'free' ? before.object(n) : undefined;
		const now = b && b.kind !== 'free' ? after.object(n) : undefined;
		if (now instanceof PDFRawStream && [PDFName.of('XRef'), PDFName.of('ObjStm')].includes(now.dict.get(PDFName.of('Type')) as PDFName)) continue;
		if (was === undefined && now === undefined) continue;
		if (sameValue(was, now)) continue;
		out.push({ objectNumber: n, before: was, after: now });
	}
	return out.sort((x, y) => x.objectNumber - y.objectNumber);
}
