import { makeSignedResolution } from '../../../signing/test-helpers';

/** Replaces the first match of `re` in a PDF's bytes (read as latin1) by `replace(match)`. */
function patch(pdf: Uint8Array, re: RegExp, replace: (m: string) => string, last = false): Uint8Array {
	const s = Buffer.from(pdf).toString('latin1');
	const all = [...s.matchAll(new RegExp(re.source, 'g'))];
	const m = last ? all.at(-1) : all[0];
	if (!m) throw new Error(`pattern ${re} not found`);
	return Buffer.from(s.slice(0, m.index) + replace(m[0]) + s.slice(m.index + m[0].length), 'latin1');
}

/** A syntactically plausible one-page PDF whose object 4 holds `depth` nested arrays (a parser's stack bomb). */
export function nestedArraysPdf(depth: number, inSignature = false): Uint8Array {
	const bomb = '['.repeat(depth) + ']'.repeat(depth);
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [5 0 R] /SigFlags 3 >> >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [5 0 R] >>',
		`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${inSignature ? `/ByteRange ${bomb}` : '/ByteRange [0 10 20 10]'} /Contents <00> /Junk ${bomb} >>`,
		'<< /Type /Annot /Subtype /Widget /FT /Sig /T (sig_chair) /V 4 0 R /Rect [0 0 0 0] /P 3 0 R >>'
	];
	let body = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(Buffer.byteLength(body, 'latin1'));
		body += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = Buffer.byteLength(body, 'latin1');
	body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(body, 'latin1');
}

/** Malformed and hostile inputs for POST /api/verify, each with a short name. */
export async function hostilePdfs(): Promise<{ name: string; bytes: Uint8Array }[]> {
	const { sealed } = await makeSignedResolution();
	const s = Buffer.from(sealed).toString('latin1');
	const cut = s.lastIndexOf('endobj') + 6;
	return [
		{ name: 'truncated (last 200 bytes cut)', bytes: sealed.subarray(0, sealed.length - 200) },
		{ name: 'truncated (cut after the last signature dictionary)', bytes: Buffer.concat([sealed.subarray(0, cut), Buffer.from('\n%%EOF\n')]) },
		{ name: 'truncated to its first 1000 bytes', bytes: sealed.subarray(0, 1000) },
		{
			name: 'wrong /ByteRange (shifted by one byte)',
			bytes: patch(sealed, /\/ByteRange \[0 \d+ \d+ \d+\s*\]/, (m) => {
				const [a, b, c, d] = m.match(/\d+/g)!.map(Number);
				return `/ByteRange [${a} ${b} ${c + 1} ${d - 1}`.padEnd(m.length - 1, ' ') + ']';
			})
		},
		{
			name: 'wrong /ByteRange (the last one runs past the end)',
			// Same text length: the last length becomes all nines, so the second range runs past the end of the file.
			bytes: patch(sealed, /\/ByteRange \[0 \d+ \d+ \d+/, (m) => m.replace(/\d+$/, (d) => '9'.repeat(d.length)), true)
		},
		{ name: 'not a PDF (HTML)', bytes: Buffer.from('<html><body>không phải PDF</body></html>'.repeat(20)) },
		{ name: 'not a PDF (random bytes)', bytes: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)) },
		{ name: '0 bytes', bytes: new Uint8Array(0) },
		{ name: '10k nested arrays in an object', bytes: nestedArraysPdf(10_000) },
		{ name: '10k nested arrays as the /ByteRange', bytes: nestedArraysPdf(10_000, true) },
		{ name: '100k nested arrays', bytes: nestedArraysPdf(100_000, true) }
	];
}
