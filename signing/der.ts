/**
 * A minimal, defensive DER reader that keeps byte offsets. Verification must hash the signed
 * attributes exactly as they are in the file (re-encoding could hide or invent differences), and
 * must survive hostile input: every length is bounds-checked and nesting depth is limited.
 */
import { SigningError } from './errors.js';

export interface Tlv {
	/** First identifier octet (class + constructed bit + tag number < 31). */
	tag: number;
	/** Offset of the identifier octet. */
	start: number;
	/** Offset of the contents. */
	contentStart: number;
	/** Offset just past the contents. */
	end: number;
}

const bad = (why: string): never => {
	throw new SigningError('MALFORMED_SIGNATURE', `DER: ${why}`);
};

export function readTlv(buf: Uint8Array, offset: number, limit = buf.length): Tlv {
	if (offset + 2 > limit) bad('truncated header');
	const tag = buf[offset];
	if ((tag & 0x1f) === 0x1f) bad('high tag numbers are not used in CMS');
	let len = buf[offset + 1];
	let p = offset + 2;
	if (len & 0x80) {
		const n = len & 0x7f;
		if (n === 0) bad('indefinite length is not DER');
		if (n > 4) bad('length too large');
		if (p + n > limit) bad('truncated length');
		len = 0;
		for (let i = 0; i < n; i++) len = len * 256 + buf[p + i];
		p += n;
	}
	if (p + len > limit) bad('contents beyond end');
	return { tag, start: offset, contentStart: p, end: p + len };
}

export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
	if (!(parent.tag & 0x20)) bad('primitive value has no children');
	const out: Tlv[] = [];
	let p = parent.contentStart;
	while (p < parent.end) {
		if (out.length > 10_000) bad('too many elements');
		const t = readTlv(buf, p, parent.end);
		out.push(t);
		p = t.end;
	}
	return out;
}

export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
	if (!t || t.tag !== tag) bad(`expected ${what}`);
	return t as Tlv;
}

export const bytes = (buf: Uint8Array, t: Tlv) => buf.subarray(t.start, t.end);
export const content = (buf: Uint8Array, t: Tlv) => buf.subarray(t.contentStart, t.end);

/** Dotted OID text from an OBJECT IDENTIFIER element. */
export function oidText(buf: Uint8Array, t: Tlv): string {
	if (t.tag !== 0x06) bad('expected OID');
	const c = content(buf, t);
	if (c.length === 0 || c.length > 64) bad('OID length');
	const parts: number[] = [];
	let v = 0;
	for (const byte of c) {
		v = v * 128 + (byte & 0x7f);
		if (!(byte & 0x80)) {
			parts.push(v);
			v = 0;
		}
	}
	const first = parts.shift() ?? 0;
	const a = first < 80 ? Math.floor(first / 40) : 2;
	return [a, first - a * 40, ...parts].join('.');
}

export const TAG = {
	INTEGER: 0x02,
	OCTET_STRING: 0x04,
	NULL: 0x05,
	OID: 0x06,
	SEQUENCE: 0x30,
	SET: 0x31,
	CTX0: 0xa0,
	CTX1: 0xa1
} as const;
