import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import zlib from 'node:zlib';
import { deflatedZeros, GiB, objectStreamBomb, onePagePdfWithStream } from '../../../../tests/helpers/security/pdf-dos';
import { INFLATION_LIMITS, scanInflation, streamFilters } from './inflation';
import { checkUploadJob } from './tasks';

const MiB = 1024 * 1024;

/** A minimal LZW encoder (PDF flavour, EarlyChange 1) to check the counting decoder against. */
function lzwEncode(input: Uint8Array): Buffer {
	const out: number[] = [];
	let acc = 0;
	let bits = 0;
	const emit = (code: number, width: number) => {
		acc = (acc << width) | code;
		bits += width;
		while (bits >= 8) {
			out.push((acc >>> (bits - 8)) & 0xff);
			bits -= 8;
		}
		acc &= (1 << bits) - 1;
	};
	const table = new Map<string, number>();
	let next = 258;
	const width = () => (next >= 2048 ? 12 : next >= 1024 ? 11 : next >= 512 ? 10 : 9);
	emit(256, 9);
	let w = String.fromCharCode(input[0]);
	const codeOf = (s: string) => (s.length === 1 ? s.charCodeAt(0) : table.get(s)!);
	for (let i = 1; i < input.length; i++) {
		const wc = w + String.fromCharCode(input[i]);
		if (table.has(wc)) {
			w = wc;
			continue;
		}
		emit(codeOf(w), width());
		if (next < 4096) table.set(wc, next++);
		w = String.fromCharCode(input[i]);
	}
	emit(codeOf(w), width());
	emit(257, width());
	if (bits > 0) out.push((acc << (8 - bits)) & 0xff);
	return Buffer.from(out);
}

describe('bounded inflation scan', () => {
	it('refuses the 1 GB object stream of issue 19 at the object-stream limit, without inflating it all', async () => {
		const bomb = await objectStreamBomb(GiB);
		expect(bomb.length).toBeLessThan(1.2 * MiB);
		const started = performance.now();
		expect(await scanInflation(bomb)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: INFLATION_LIMITS.perObjectStream });
		expect(performance.now() - started).toBeLessThan(5000);
	});

	it('refuses any other stream past the per-stream limit, and a file past the per-file limit', async () => {
		expect(await scanInflation(onePagePdfWithStream('/Filter /FlateDecode', await deflatedZeros(GiB)))).toEqual({ ok: false, reason: 'tooLarge', limitBytes: INFLATION_LIMITS.perStream });
		const limits = { perStream: 10 * MiB, perObjectStream: MiB, perFile: 25 * MiB };
		const nine = await deflatedZeros(9 * MiB);
		const three = Buffer.concat([onePagePdfWithStream('/Filter /FlateDecode', nine), onePagePdfWithStream('/Filter /FlateDecode', nine), onePagePdfWithStream('/Filter /FlateDecode', nine)]);
		expect(await scanInflation(three, limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 25 * MiB });
		expect(await scanInflation(onePagePdfWithStream('/Filter /FlateDecode', nine), limits)).toEqual({ ok: true, streams: 1, decodedBytes: 9 * MiB });
	});

	it('measures what a parser would decode, whatever /Length, a fake endstream, name escapes or a hex layer say', async () => {
		const limits = { perStream: 4 * MiB, perObjectStream: MiB, perFile: 16 * MiB };
		// A stored (uncompressed) block carrying "endstream" and a new "stream", then the bomb, with /Length
		// pointing before it: a parser that follows its own nesting rules would still read all of it.
		const deflate = zlib.createDeflate({ level: 0 });
		const parts: Buffer[] = [];
		deflate.on('data', (c: Buffer) => parts.push(c));
		deflate.write(Buffer.from('\nendstream\nendobj\n9 0 obj\n<<>>\nstream\n', 'latin1'));
		await new Promise<void>((resolve) => deflate.flush(() => deflate.params(9, zlib.constants.Z_DEFAULT_STRATEGY, () => resolve())));
		deflate.end(Buffer.alloc(8 * MiB));
		await new Promise((resolve) => deflate.on('end', resolve));
		const sneaky = Buffer.concat(parts);
		const pdf = onePagePdfWithStream('/Filter /Flate#44ecode', sneaky).toString('latin1').replace(`/Length ${sneaky.length}`, '/Length 20');
		expect(await scanInflation(Buffer.from(pdf, 'latin1'), limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 4 * MiB });

		const hex = Buffer.from((await deflatedZeros(8 * MiB)).toString('hex') + '>', 'latin1');
		expect(await scanInflation(onePagePdfWithStream('/Filter [/ASCIIHexDecode /FlateDecode]', hex), limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 4 * MiB });
		// Twice deflated: the inner layer is the bomb.
		const twice = zlib.deflateSync(await deflatedZeros(8 * MiB));
		expect(await scanInflation(onePagePdfWithStream('/Filter [/FlateDecode /FlateDecode]', twice), limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 4 * MiB });
	});

	it('counts RunLength and LZW output without producing it', async () => {
		const KiB = 1024;
		const limits = { perStream: 256 * KiB, perObjectStream: 256 * KiB, perFile: 4 * MiB };
		const runs = Buffer.alloc(2 * 10_000);
		for (let i = 0; i < runs.length; i += 2) runs[i] = 129; // 128 copies of the next byte, 10,000 times
		expect(await scanInflation(onePagePdfWithStream('/Filter /RunLengthDecode', runs), limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 256 * KiB });
		expect(await scanInflation(onePagePdfWithStream('/Filter /RunLengthDecode', Buffer.concat([runs.subarray(0, 200), Buffer.from([128])])), limits)).toEqual({
			ok: true,
			streams: 1,
			decodedBytes: 100 * 128
		});

		const text = Buffer.from('Nghị quyết về kế hoạch đầu tư công trung hạn. '.repeat(300));
		expect(await scanInflation(onePagePdfWithStream('/Filter /LZWDecode', lzwEncode(text)), limits)).toEqual({ ok: true, streams: 1, decodedBytes: text.length });
		expect(await scanInflation(onePagePdfWithStream('/Filter /LZWDecode', lzwEncode(Buffer.alloc(512 * KiB))), limits)).toEqual({ ok: false, reason: 'tooLarge', limitBytes: 256 * KiB });
	});

	it('refuses a /Filter it cannot read from the text (an indirect reference)', async () => {
		expect(streamFilters('<< /Filter 7 0 R /Length 5 >>')).toBeNull();
		expect(streamFilters('<< /Filter [/AHx 7 0 R] >>')).toBeNull();
		expect(streamFilters('<< /Filter [ /ASCII85Decode /Fl ] /Length 5 >>')).toEqual(['ASCII85Decode', 'Fl']);
		expect(streamFilters('<< /Length 5 >>')).toEqual([]);
		expect(await scanInflation(onePagePdfWithStream('/Filter 9 0 R', await deflatedZeros(1024)))).toEqual({ ok: false, reason: 'unmeasurable' });
	});

	it('accepts ordinary documents, object streams included', async () => {
		const doc = await PDFDocument.create();
		for (let i = 0; i < 3; i++) doc.addPage().drawText(`Trang ${i + 1}`, { x: 40, y: 700, size: 12 });
		const bytes = await doc.save({ useObjectStreams: true });
		const scan = await scanInflation(bytes);
		expect(scan.ok).toBe(true);
		expect(await checkUploadJob({ bytes })).toEqual({ ok: true, pages: 3 });
	});
});

describe('upload check (the worker task)', () => {
	it('refuses a bomb before pdf-lib sees it, and what is not a PDF', async () => {
		expect(await checkUploadJob({ bytes: await objectStreamBomb(GiB) })).toEqual({ ok: false, reason: 'inflation', limitBytes: INFLATION_LIMITS.perObjectStream });
		expect(await checkUploadJob({ bytes: Buffer.from('MZ not a pdf') })).toEqual({ ok: false, reason: 'notPdf' });
		expect(await checkUploadJob({ bytes: Buffer.from('%PDF-1.7\n garbage without objects') })).toEqual({ ok: false, reason: 'notPdf' });
	});
});
