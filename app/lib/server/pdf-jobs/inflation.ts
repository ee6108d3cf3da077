/**
 * Bounded measurement of how much a PDF's streams expand when decoded, without keeping the output: the
 * defence against decompression bombs (issue 19: a 1 MB upload with a 1 GB FlateDecode object stream took
 * the server from 280 MB to 1.2 GB, because pdf-lib's `PDFDocument.load` inflates object streams without limit).
 *
 * It reads the raw bytes only (no PDF parser runs before it): every `stream` keyword is a stream a parser may
 * decode, its filters come from the dictionary text just before it, and its data is measured from every start
 * a parser could choose (pdf-lib skips `stream` plus " \r\n", "\r\n", "\r", "\n" or nothing) to the end of the
 * file. Decoders stop at the end of their own data (zlib's end of stream, EOD markers), and a longer input can
 * only give more output, so the count is an upper bound of what pdf-lib or a reader would produce, whatever
 * /Length or a fake `endstream` inside the data say. Output is counted in chunks and dropped; decoding stops as
 * soon as a limit is passed, so memory and time stay small even for a 1 GB bomb.
 */
import zlib from 'node:zlib';

export interface InflationLimits {
	/** Decoded bytes allowed for one stream. */
	perStream: number;
	/** Decoded bytes allowed for an object stream (/Type /ObjStm): pdf-lib keeps and parses these on load. */
	perObjectStream: number;
	/** Decoded bytes allowed for all streams of the file together. */
	perFile: number;
}

const MiB = 1024 * 1024;

/** A scanned A3 page at 600 dpi in colour is about 200 MB raw; council papers stay far below these. */
export const INFLATION_LIMITS: InflationLimits = { perStream: 128 * MiB, perObjectStream: 32 * MiB, perFile: 512 * MiB };

export type InflationScan =
	| { ok: true; streams: number; decodedBytes: number }
	/** A stream (or the file) decodes to more than its limit. */
	| { ok: false; reason: 'tooLarge'; limitBytes: number }
	/** A stream's filters cannot be read from the file's text (an indirect /Filter) or are chained in a way we cannot measure. */
	| { ok: false; reason: 'unmeasurable' };

const STREAM = Buffer.from('stream', 'latin1');
const END = Buffer.from('end', 'latin1');
/** How far back from `stream` the dictionary text is looked for (a stream dictionary is small). */
const DICT_WINDOW = 64 * 1024;
/** More `stream` keywords than any real document has (a 20 MB file of them only wastes the worker's time). */
const MAX_STREAMS = 250_000;

type FilterKind = 'asciiHex' | 'ascii85' | 'flate' | 'lzw' | 'runLength' | 'other';

/** Full names as pdf-lib knows them, and the abbreviations readers accept. */
function filterKind(name: string): FilterKind {
	switch (name) {
		case 'ASCIIHexDecode':
		case 'AHx':
			return 'asciiHex';
		case 'ASCII85Decode':
		case 'A85':
			return 'ascii85';
		case 'FlateDecode':
		case 'Fl':
			return 'flate';
		case 'LZWDecode':
		case 'LZW':
			return 'lzw';
		case 'RunLengthDecode':
		case 'RL':
			return 'runLength';
		default:
			// Image codecs (DCT, JPX, JBIG2, CCITT) and Crypt: pdf-lib never decodes them on load.
			return 'other';
	}
}

/** A PDF name's text with its #xx escapes decoded (`/Flate#44ecode` is /FlateDecode to every parser). */
function nameText(raw: string): string {
	return raw.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const NAME = /\/([^\s/[\]<>(){}%]*)/g;

/**
 * The filter names of a stream dictionary's text: [] without /Filter, null when a /Filter value is not written
 * out as a name or an array of names (an indirect reference hides the decoders from this check).
 */
export function streamFilters(dict: string): string[] | null {
	const re = /\/Filter(?![^\s/[\]<>(){}%])\s*/g;
	let first: string[] | null = null;
	for (let m = re.exec(dict); m; m = re.exec(dict)) {
		const rest = dict.slice(re.lastIndex, re.lastIndex + 4096);
		let names: string[];
		if (rest.startsWith('/')) {
			names = [nameText(/^\/([^\s/[\]<>(){}%]*)/.exec(rest)![1])];
		} else if (rest.startsWith('[')) {
			const close = rest.indexOf(']');
			if (close < 0) return null;
			const body = rest.slice(1, close);
			// Only names inside: a reference (`7 0 R`) or anything else is not readable here.
			if (body.replace(NAME, '').trim() !== '') return null;
			names = [...body.matchAll(NAME)].map((n) => nameText(n[1]));
		} else return null;
		first ??= names;
	}
	return first ?? [];
}

/**
 * The dictionary text before the `stream` keyword at `pos`: from its `N G obj` (within a bounded window), or
 * from the previous `endobj` when the keyword is not inside an object of its own.
 */
function dictionaryBefore(buf: Buffer, pos: number): string {
	const from = Math.max(0, pos - DICT_WINDOW);
	const i = buf.subarray(from, pos).lastIndexOf('obj', undefined, 'latin1');
	return buf.toString('latin1', i < 0 ? from : from + i + 3, pos);
}

/** An object stream, or a /Type given by reference (pdf-lib resolves it, so it may be one). */
function isObjectStream(dict: string): boolean {
	if (/\/Type\s*\d+\s+\d+\s+R(?![^\s/[\]<>(){}%])/.test(dict)) return true;
	const m = /\/Type\s*\/([^\s/[\]<>(){}%]*)/.exec(dict);
	return !!m && nameText(m[1]) === 'ObjStm';
}

/** Where a parser may start a stream's data after `stream` (pdf-lib's own choices). */
function dataStarts(buf: Buffer, after: number): number[] {
	const starts = new Set<number>([after]);
	for (const eol of [' \r\n', '\r\n', '\r', '\n']) {
		if (buf.toString('latin1', after, after + eol.length) === eol) starts.add(after + eol.length);
	}
	return [...starts];
}

function looksLikeZlib(buf: Uint8Array, at: number): boolean {
	if (at + 2 > buf.length) return false;
	const cmf = buf[at];
	const flg = buf[at + 1];
	return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

/**
 * Inflates `input` counting the output; stops (destroying the inflater) once `limit` is passed. `keep` collects
 * the output (at most `limit` bytes) for a following filter. A corrupt or truncated stream counts what it gave.
 */
function inflateBounded(input: Uint8Array, limit: number, keep: boolean): Promise<{ bytes: number; exceeded: boolean; output: Buffer | null }> {
	return new Promise((resolve) => {
		const inflater = zlib.createInflate({ chunkSize: 64 * 1024 });
		const chunks: Buffer[] = [];
		let bytes = 0;
		let done = false;
		const finish = (exceeded: boolean) => {
			if (done) return;
			done = true;
			inflater.destroy();
			resolve({ bytes, exceeded, output: keep && !exceeded ? Buffer.concat(chunks) : null });
		};
		inflater.on('data', (chunk: Buffer) => {
			bytes += chunk.length;
			if (bytes > limit) return finish(true);
			if (keep) chunks.push(chunk);
		});
		inflater.on('end', () => finish(false));
		inflater.on('error', () => finish(false));
		inflater.end(input);
	});
}

const isWhite = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

function hexValue(c: number): number {
	return c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;
}

/** ASCIIHexDecode up to its `>` (or the first byte that is neither hex nor white space); output ≤ half the input. */
function asciiHexDecode(input: Uint8Array): Buffer {
	let end = 0;
	while (end < input.length && input[end] !== 0x3e && (isWhite(input[end]) || hexValue(input[end]) >= 0)) end++;
	const out = Buffer.allocUnsafe(Math.ceil(end / 2));
	let n = 0;
	let high = -1;
	for (let i = 0; i < end; i++) {
		const v = hexValue(input[i]);
		if (v < 0) continue;
		if (high < 0) high = v;
		else {
			out[n++] = (high << 4) | v;
			high = -1;
		}
	}
	if (high >= 0) out[n++] = high << 4;
	return out.subarray(0, n);
}

/**
 * ASCII85Decode up to its `~>` (or the first byte outside the alphabet); `z` is four zero bytes, so the output
 * may be four times the input: null when it would pass `limit`.
 */
function ascii85Decode(input: Uint8Array, limit: number): Buffer | null {
	let end = 0;
	while (end < input.length && input[end] !== 0x7e && (isWhite(input[end]) || (input[end] >= 0x21 && input[end] <= 0x7a))) end++;
	const out = Buffer.allocUnsafe(Math.min(end * 4, limit) + 4);
	const group: number[] = [];
	let n = 0;
	const push = (count: number) => {
		while (group.length < 5) group.push(84);
		const v = group.reduce((acc, d) => acc * 85 + d, 0) >>> 0;
		group.length = 0;
		if (n + count > limit) return false;
		for (let k = 0; k < count; k++) out[n++] = (v >>> (24 - 8 * k)) & 0xff;
		return true;
	};
	for (let i = 0; i < end; i++) {
		const c = input[i];
		if (isWhite(c)) continue;
		if (c === 0x7a) {
			if (group.length !== 0 || n + 4 > limit) return null;
			out.fill(0, n, n + 4);
			n += 4;
			continue;
		}
		group.push(c - 0x21);
		if (group.length === 5 && !push(4)) return null;
	}
	if (group.length > 1 && !push(group.length - 1)) return null;
	return out.subarray(0, n);
}

/** Output length of RunLengthDecode (stops at its EOD, 128), without producing the output. */
function runLengthSize(input: Uint8Array, limit: number): { bytes: number; exceeded: boolean } {
	let bytes = 0;
	for (let i = 0; i < input.length; ) {
		const len = input[i];
		if (len === 128) break;
		if (len < 128) {
			bytes += len + 1;
			i += len + 2;
		} else {
			bytes += 257 - len;
			i += 2;
		}
		if (bytes > limit) return { bytes, exceeded: true };
	}
	return { bytes, exceeded: false };
}

/** Output length of LZWDecode (PDF flavour: 9–12 bit codes, 256 clear, 257 EOD), counting string lengths only. */
function lzwSize(input: Uint8Array, limit: number, earlyChange: number): { bytes: number; exceeded: boolean } {
	const lengths = new Uint32Array(4096);
	lengths.fill(1, 0, 256);
	let nextCode = 258;
	let width = 9;
	let previous = -1;
	let bytes = 0;
	let acc = 0;
	let accBits = 0;
	for (let i = 0; ; ) {
		while (accBits < width && i < input.length) {
			acc = ((acc << 8) | input[i++]) & 0xffffff;
			accBits += 8;
		}
		if (accBits < width) break;
		const code = (acc >>> (accBits - width)) & ((1 << width) - 1);
		accBits -= width;
		if (code === 256) {
			nextCode = 258;
			width = 9;
			previous = -1;
			continue;
		}
		if (code === 257) break;
		let length: number;
		if (code < 256) length = 1;
		else if (code < nextCode) length = lengths[code];
		else if (code === nextCode && previous >= 0) length = lengths[previous] + 1;
		else break; // not a valid LZW stream from here on: decoders stop too
		bytes += length;
		if (bytes > limit) return { bytes, exceeded: true };
		if (previous >= 0 && nextCode < 4096) lengths[nextCode++] = lengths[previous] + 1;
		previous = code;
		const next = nextCode + earlyChange;
		width = next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9;
	}
	return { bytes, exceeded: false };
}

const DECODING: FilterKind[] = ['asciiHex', 'ascii85', 'flate', 'lzw', 'runLength'];

/** Decoded size of one stream's data from `start` (to the end of the file), or exceeded/unmeasurable. */
async function measure(buf: Buffer, start: number, filters: string[], dict: string, limit: number): Promise<{ bytes: number; exceeded: boolean } | 'unmeasurable'> {
	let data: Uint8Array = buf.subarray(start);
	let kinds = filters.map(filterKind);
	// Without a declared decoder nothing inflates it; data that still looks like zlib is measured anyway, in
	// case the dictionary text was misread (it costs nothing when the stream is small).
	if (!kinds.some((k) => DECODING.includes(k))) {
		if (!looksLikeZlib(data, 0)) return { bytes: 0, exceeded: false };
		kinds = ['flate'];
	}
	// Raw bytes are not counted (they are the upload itself): only what decoders produce.
	let decoded = false;
	for (let i = 0; i < kinds.length; i++) {
		const kind = kinds[i];
		const more = kinds.slice(i + 1).some((k) => DECODING.includes(k));
		if (kind === 'other') break;
		if (kind === 'asciiHex') data = asciiHexDecode(data);
		else if (kind === 'ascii85') {
			const out = ascii85Decode(data, limit);
			if (!out) return { bytes: limit + 1, exceeded: true };
			data = out;
		} else if (kind === 'flate') {
			const r = await inflateBounded(data, limit, more);
			if (r.exceeded || !more) return r;
			data = r.output!;
		} else {
			// Counted without producing the output: a decoder after these is not measurable (and never legitimate).
			if (more) return 'unmeasurable';
			return kind === 'lzw' ? lzwSize(data, limit, /\/EarlyChange\s+0(?![\d.])/.test(dict) ? 0 : 1) : runLengthSize(data, limit);
		}
		decoded = true;
		if (data.length > limit) return { bytes: data.length, exceeded: true };
	}
	return { bytes: decoded ? data.length : 0, exceeded: false };
}

/** Measures every stream of a PDF against the limits; never keeps more than one stream's decoded data. */
export async function scanInflation(bytes: Uint8Array, limits: InflationLimits = INFLATION_LIMITS): Promise<InflationScan> {
	const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let streams = 0;
	let total = 0;
	for (let pos = buf.indexOf(STREAM); pos >= 0; pos = buf.indexOf(STREAM, pos + STREAM.length)) {
		if (pos >= 3 && buf.subarray(pos - 3, pos).equals(END)) continue; // `endstream`
		if (streams >= MAX_STREAMS) return { ok: false, reason: 'unmeasurable' };
		const dict = dictionaryBefore(buf, pos);
		const filters = streamFilters(dict);
		if (filters === null) return { ok: false, reason: 'unmeasurable' };
		const streamLimit = isObjectStream(dict) ? limits.perObjectStream : limits.perStream;
		const limit = Math.min(streamLimit, limits.perFile - total);
		let largest = 0;
		for (const start of dataStarts(buf, pos + STREAM.length)) {
			const r = await measure(buf, start, filters, dict, limit);
			if (r === 'unmeasurable') return { ok: false, reason: 'unmeasurable' };
			if (r.exceeded) return { ok: false, reason: 'tooLarge', limitBytes: limit === streamLimit ? streamLimit : limits.perFile };
			largest = Math.max(largest, r.bytes);
		}
		streams++;
		total += largest;
	}
	return { ok: true, streams, decodedBytes: total };
}
