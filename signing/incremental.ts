/**
 * Writes an incremental update (ISO 32000-1 §7.5.6): changed and new objects appended after the
 * existing bytes, then a cross-reference section for just those objects and a trailer whose /Prev
 * points at the previous section. The earlier bytes are never touched, which is what keeps the
 * earlier signatures valid.
 *
 * If the previous section is a cross-reference stream, the update uses a stream too (mixing a
 * classic table after a stream is not allowed by the spec, even though many readers cope).
 */
import crypto from 'node:crypto';
import { PDFHexString, PDFString, type PDFObject } from 'pdf-lib';
import type { PdfReader } from './pdf-reader.js';
import type { PdfTail } from './pdf-tail.js';

export interface UpdateObject {
	objectNumber: number;
	generation: number;
	/** The object's body (between "N G obj" and "endobj"). */
	body: Uint8Array;
}

/** A pdf-lib object as the body of an update object. */
export function bytesOf(obj: PDFObject): Uint8Array {
	const out = new Uint8Array(obj.sizeInBytes());
	obj.copyBytesInto(out, 0);
	return out;
}

/**
 * The trailer /ID of a new revision: the first element stays (it names the document), the second changes with every
 * revision (ISO 32000-1 §14.4).
 */
export function nextRevisionId(r: PdfReader, salt: string): string | undefined {
	const first = r.id?.get(0);
	if (!(first instanceof PDFHexString || first instanceof PDFString)) return undefined;
	const second = crypto.createHash('sha256').update(first.asBytes()).update(salt).update(crypto.randomBytes(16)).digest().subarray(0, 16);
	return `[${first.toString()} <${second.toString('hex')}>]`;
}

export interface TrailerRefs {
	/** Serialised values, e.g. "1 0 R" and "[<…> <…>]". */
	root: string;
	info?: string;
	id?: string;
}

export interface IncrementalUpdate {
	bytes: Uint8Array;
	/** Absolute offset (in `bytes`) of each object's body, by object number. */
	bodyOffsets: Map<number, number>;
}

const enc = (s: string) => Buffer.from(s, 'latin1');

function subsections(nums: number[]): [number, number[]][] {
	const out: [number, number[]][] = [];
	for (const n of [...nums].sort((a, b) => a - b)) {
		const last = out[out.length - 1];
		if (last && last[0] + last[1].length === n) last[1].push(n);
		else out.push([n, [n]]);
	}
	return out;
}

export function appendIncrementalUpdate(base: Uint8Array, tail: PdfTail, objects: UpdateObject[], trailer: TrailerRefs): IncrementalUpdate {
	const parts: Uint8Array[] = [base];
	let pos = base.length;
	const push = (b: Uint8Array) => {
		parts.push(b);
		pos += b.length;
	};
	// Some writers end without EOL after %%EOF; the update must start on a fresh line.
	if (base[base.length - 1] !== 0x0a && base[base.length - 1] !== 0x0d) push(enc('\n'));

	const offsets = new Map<number, { offset: number; gen: number }>();
	const bodyOffsets = new Map<number, number>();
	for (const o of objects) {
		offsets.set(o.objectNumber, { offset: pos, gen: o.generation });
		const header = enc(`${o.objectNumber} ${o.generation} obj\n`);
		push(header);
		bodyOffsets.set(o.objectNumber, pos);
		push(o.body);
		push(enc('\nendobj\n'));
	}
	const maxNum = Math.max(tail.size - 1, ...objects.map((o) => o.objectNumber));
	const trailerEntries = [
		`/Root ${trailer.root}`,
		trailer.info ? `/Info ${trailer.info}` : '',
		trailer.id ? `/ID ${trailer.id}` : '',
		`/Prev ${tail.startxref}`
	]
		.filter(Boolean)
		.join(' ');

	const xrefOffset = pos;
	if (tail.xrefKind === 'table') {
		let xref = 'xref\n';
		for (const [start, nums] of subsections([...offsets.keys()])) {
			xref += `${start} ${nums.length}\n`;
			for (const n of nums) {
				const { offset, gen } = offsets.get(n)!;
				// Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, "n", CRLF.
				xref += `${String(offset).padStart(10, '0')} ${String(gen).padStart(5, '0')} n\r\n`;
			}
		}
		push(enc(`${xref}trailer\n<< /Size ${maxNum + 1} ${trailerEntries} >>\nstartxref\n${xrefOffset}\n%%EOF\n`));
	} else {
		// The xref stream is itself an object of this update and lists itself.
		const selfNum = maxNum + 1;
		offsets.set(selfNum, { offset: xrefOffset, gen: 0 });
		const subs = subsections([...offsets.keys()]);
		const rows: number[] = [];
		for (const [, nums] of subs) {
			for (const n of nums) {
				const { offset, gen } = offsets.get(n)!;
				rows.push(1, (offset >>> 24) & 0xff, (offset >>> 16) & 0xff, (offset >>> 8) & 0xff, offset & 0xff, (gen >>> 8) & 0xff, gen & 0xff);
			}
		}
		const data = Uint8Array.from(rows);
		const index = subs.map(([s, nums]) => `${s} ${nums.length}`).join(' ');
		push(
			enc(
				`${selfNum} 0 obj\n<< /Type /XRef /Size ${selfNum + 1} /W [1 4 2] /Index [${index}] ${trailerEntries} /Length ${data.length} >>\nstream\n`
			)
		);
		push(data);
		push(enc(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`));
	}
	return { bytes: Buffer.concat(parts), bodyOffsets };
}
