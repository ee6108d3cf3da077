/**
 * Hostile PDFs for the denial-of-service tests (issue 19): a file whose signatures make verification slow (a
 * certificate flood), and decompression bombs. Built in the test, never stored.
 */
import crypto from 'node:crypto';
import { once } from 'node:events';
import zlib from 'node:zlib';
import forge from 'node-forge';

/** Assembles a PDF from object bodies (object i+1 is objects[i]) with a correct xref table. */
export function assemblePdf(objects: (string | Buffer)[], rootRef = '1 0 R'): Buffer {
	const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
	let length = parts[0].length;
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(length);
		const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`, 'latin1'), typeof body === 'string' ? Buffer.from(body, 'latin1') : body, Buffer.from('\nendobj\n', 'latin1')]);
		parts.push(part);
		length += part.length;
	});
	const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${rootRef} >>\nstartxref\n${length}\n%%EOF\n`, 'latin1'));
	return Buffer.concat(parts);
}

/** A stream object's body: `dict` entries, /Length, and the raw data. */
export function streamObject(dict: string, data: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
}

const ONE_PAGE = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];

/** A one-page PDF with one more object: the stream `dict`/`data` (object 4). */
export function onePagePdfWithStream(dict: string, data: Buffer): Buffer {
	return assemblePdf([...ONE_PAGE, streamObject(dict, data)]);
}

const deflatedCache = new Map<number, Promise<Buffer>>();

/**
 * zlib data that inflates to `bytes` zero bytes, deflated chunk by chunk (a 1 GB bomb never exists in memory:
 * the test allocates one 1 MB chunk of zeros and about 1 MB of output).
 */
export function deflatedZeros(bytes: number): Promise<Buffer> {
	let cached = deflatedCache.get(bytes);
	if (!cached) {
		cached = (async () => {
			const deflate = zlib.createDeflate({ level: 9 });
			const out: Buffer[] = [];
			deflate.on('data', (c: Buffer) => out.push(c));
			const ended = once(deflate, 'end');
			const chunk = Buffer.alloc(1024 * 1024);
			for (let written = 0; written < bytes; written += chunk.length) {
				const last = bytes - written < chunk.length;
				if (!deflate.write(last ? chunk.subarray(0, bytes - written) : chunk)) await once(deflate, 'drain');
			}
			deflate.end();
			await ended;
			return Buffer.concat(out);
		})();
		deflatedCache.set(bytes, cached);
	}
	return cached;
}

export const GiB = 1024 * 1024 * 1024;

/** The attack of issue 19: a one-page PDF of about 1 MB whose object stream inflates to 1 GB. */
export async function objectStreamBomb(inflatedBytes = GiB): Promise<Buffer> {
	return onePagePdfWithStream('/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode', await deflatedZeros(inflatedBytes));
}

// ---------------------------------------------------------------------------------------------------------------
// Certificate flood

const toDer = (asn1: forge.asn1.Asn1) => Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');

/** A random odd integer of exactly `bits` bits. */
function randomOdd(bits: number): forge.jsbn.BigInteger {
	const bytes = crypto.randomBytes(bits / 8);
	bytes[0] |= 0x80;
	bytes[bytes.length - 1] |= 1;
	return new forge.jsbn.BigInteger(bytes.toString('hex'), 16);
}

/**
 * A detached CMS SignedData whose signer's certificate is issued by "CN=CA giả" and which carries as many decoy
 * certificates named "CN=CA giả" as fit in `maxDer` bytes. Each decoy has a 2048-bit RSA key with a 2040-bit
 * public exponent (OpenSSL allows any exponent below a 3072-bit modulus), so checking the signer's certificate
 * against one decoy is a full modular exponentiation, like a private-key operation without CRT: a verifier that
 * tries every certificate "named like the issuer" spends milliseconds on each.
 */
export function certificateFloodCms(maxDer: number): { der: Buffer; decoys: number } {
	const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
	const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
	const publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
	const caName = [{ name: 'commonName', value: 'CA giả' }];

	const signer = forge.pki.createCertificate();
	signer.serialNumber = '01';
	signer.publicKey = publicKey;
	signer.validity.notBefore = new Date(Date.now() - 86_400_000);
	signer.validity.notAfter = new Date(Date.now() + 86_400_000);
	signer.setSubject([{ name: 'commonName', value: 'Người ký giả' }]);
	signer.setIssuer(caName);
	signer.sign(key, forge.md.sha256.create());

	const decoy = forge.pki.createCertificate();
	decoy.serialNumber = '7f000001';
	const n = randomOdd(2048);
	decoy.publicKey = forge.pki.setRsaPublicKey(n, randomOdd(2040));
	decoy.validity.notBefore = signer.validity.notBefore;
	decoy.validity.notAfter = signer.validity.notAfter;
	decoy.setSubject(caName);
	decoy.setIssuer(caName);
	decoy.sign(key, forge.md.sha256.create());
	const template = toDer(forge.pki.certificateToAsn1(decoy));
	const serialAt = template.indexOf(Buffer.from([0x02, 0x04, 0x7f, 0x00, 0x00, 0x01]));
	if (serialAt < 0) throw new Error('decoy serial not found');

	const p7 = forge.pkcs7.createSignedData();
	p7.content = forge.util.createBuffer('tài liệu');
	p7.addCertificate(signer);
	p7.addSigner({
		key,
		certificate: signer,
		digestAlgorithm: forge.pki.oids.sha256,
		authenticatedAttributes: [{ type: forge.pki.oids.contentType, value: forge.pki.oids.data }, { type: forge.pki.oids.messageDigest }]
	});
	p7.sign({ detached: true });
	const asn1 = p7.toAsn1();
	const signedData = (asn1.value[1] as forge.asn1.Asn1).value[0] as forge.asn1.Asn1;
	const certificates = (signedData.value as forge.asn1.Asn1[]).find((v) => v.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && v.type === 0)!;
	const base = toDer(asn1).length;
	const count = Math.floor((maxDer - base - 16) / template.length);
	for (let i = 0; i < count; i++) {
		// Distinct serials, so distinct certificates (the decoys' own signatures are never checked).
		const copy = Buffer.from(template);
		copy.writeUIntBE(i + 1, serialAt + 3, 3);
		(certificates.value as forge.asn1.Asn1[]).push(forge.asn1.fromDer(copy.toString('binary')));
	}
	return { der: toDer(asn1), decoys: count };
}

/**
 * A PDF of `signatures` signature dictionaries that all carry the same flood CMS in a /Contents of `cmsBytes`
 * (hex: twice that), each with a /ByteRange that frames its own /Contents: every one passes the structural checks
 * and reaches the certificates. Just under 2 MB of hex per signature (the verifier refuses signature
 * dictionaries over 1 MB before parsing them), or under 1 MB to reach the bound on certificates per signature.
 */
export function certificateFloodPdf(signatures = 9, cmsBytes = 1_040_000): { pdf: Buffer; decoysPerSignature: number } {
	const { der, decoys } = certificateFloodCms(cmsBytes);
	const hex = der.toString('hex').padEnd(2 * (cmsBytes + 8_000), '0');
	const placeholder = '0000000000';
	// Objects: 1 catalog (its form lists the fields), 2 pages, then the signature dictionaries, then their fields.
	const fields = Array.from({ length: signatures }, (_, i) => `${3 + signatures + i} 0 R`).join(' ');
	const objects = [`<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [${fields}] /SigFlags 3 >> >>`, '<< /Type /Pages /Kids [] /Count 0 >>'];
	for (let i = 0; i < signatures; i++) {
		objects.push(`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 ${placeholder} ${placeholder} ${placeholder}] /Contents <${hex}> /M (D:20250101000000+07'00') >>`);
	}
	for (let i = 0; i < signatures; i++) objects.push(`<< /FT /Sig /T (sig_${i + 1}) /V ${3 + i} 0 R >>`);
	const pdf = assemblePdf(objects);
	// Fill each /ByteRange in place (same width): [0, start of <, after >, rest of the file].
	const text = pdf.toString('latin1');
	const re = /\/ByteRange \[0 (0{10}) (0{10}) (0{10})\] \/Contents </g;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		const b = m.index + m[0].length - 1;
		const c = b + hex.length + 2;
		const values = [b, c, pdf.length - c].map((v) => String(v).padStart(10, '0'));
		pdf.write(`/ByteRange [0 ${values.join(' ')}]`, m.index, 'latin1');
	}
	return { pdf, decoysPerSignature: decoys };
}
