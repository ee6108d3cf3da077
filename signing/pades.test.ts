import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, PDFName, PDFRef, type PDFArray, type PDFHexString } from 'pdf-lib';
import { appearanceFont } from './appearance-font.js';
import QRCode from 'qrcode';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from './cms.js';
import { isSigningError } from './errors.js';
import { sampleResolution } from './fixtures.js';
import { signPdf } from './pades.js';
import { issuePersonCertificate } from './pki.js';
import { renderResolution } from './render.js';
import { revisionEndingAt } from './revisions.js';
import {
	chairOptions,
	DAY_MS,
	extractSignatures,
	makeSignedResolution,
	nssDbTrusting,
	opensslCmsVerify,
	orgOptions,
	pdfsigBlocks,
	run,
	SIGNED_AT_CHAIR,
	SIGNED_ON,
	tmpDir,
	writeTmp
} from './test-helpers.js';
import { verifyPdf } from './verify.js';

let fx: Awaited<ReturnType<typeof makeSignedResolution>>;
let dir: string;
let nss: string;

beforeAll(async () => {
	fx = await makeSignedResolution();
	dir = tmpDir();
	nss = nssDbTrusting(fx.pki.caPem);
});

const latin = (b: Uint8Array) => Buffer.from(b).toString('latin1');

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
	try {
		await p;
	} catch (e) {
		if (isSigningError(e)) return e.code;
		throw e;
	}
	return undefined;
}

describe('incremental updates', () => {
	it('keeps every earlier revision as an exact byte prefix', () => {
		expect(Buffer.from(fx.sealed.subarray(0, fx.rendered.length)).equals(Buffer.from(fx.rendered))).toBe(true);
		expect(Buffer.from(fx.sealed.subarray(0, fx.chairSigned.length)).equals(Buffer.from(fx.chairSigned))).toBe(true);
		expect(fx.sealed.length).toBeGreaterThan(fx.chairSigned.length);
	});

	it('appends classic xref sections chained with /Prev', () => {
		const s = latin(fx.sealed);
		const firstXref = Number(/startxref\s+(\d+)/.exec(latin(fx.rendered).slice(-64))?.[1]);
		const secondXref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(latin(fx.chairSigned))?.[1]);
		const update2 = s.slice(fx.rendered.length, fx.chairSigned.length);
		const update3 = s.slice(fx.chairSigned.length);
		expect(update2).toMatch(new RegExp(`trailer\\s*<<[^]*?/Prev ${firstXref}\\b`));
		expect(update3).toMatch(new RegExp(`trailer\\s*<<[^]*?/Prev ${secondXref}\\b`));
		expect(s.slice(secondXref, secondXref + 4)).toBe('xref');
		expect(update3).toContain('/SigFlags 3');
	});

	it('passes qpdf --check after each signature', () => {
		for (const [name, bytes] of [
			['chair.pdf', fx.chairSigned],
			['sealed.pdf', fx.sealed]
		] as const) {
			const r = run('qpdf', ['--check', writeTmp(dir, name, bytes)]);
			expect(r.status, r.out).toBe(0);
			expect(r.out).toContain('No syntax or stream encoding errors');
		}
	});

	it('signs a base PDF whose last cross-reference section is a stream', async () => {
		// pdf-lib's default save uses object streams and an xref stream.
		const doc = await PDFDocument.load(fx.rendered);
		const streamBased = await doc.save({ useObjectStreams: true });
		expect(latin(streamBased)).toContain('/Type /XRef');
		const signed = await signPdf(streamBased, chairOptions(fx.pki.chair));
		const sealed = await signPdf(signed, orgOptions(fx.pki.org));
		const file = writeTmp(dir, 'xrefstream.pdf', sealed);
		const q = run('qpdf', ['--check', file]);
		expect(q.status, q.out).toBe(0);
		const out = run('pdfsig', ['-nssdir', `sql:${nss}`, file]).stdout;
		expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
		expect(verifyPdf(sealed, { trustedRoots: [fx.pki.caPem] }).signatures.map((x) => x.intact)).toEqual([true, true]);
	});
});

describe('the appearance font', () => {
	it("is written once: the seal refers to the font the chair's signature added", async () => {
		const { baseFont } = await appearanceFont();
		const fontsIn = (b: Uint8Array) => {
			const r = revisionEndingAt(b, b.length);
			return [...r.entries.keys()].filter((n) => r.dict(PDFRef.of(n))?.get(PDFName.of('BaseFont')) === PDFName.of(baseFont) && r.dict(PDFRef.of(n))?.get(PDFName.of('Subtype')) === PDFName.of('Type0'));
		};
		expect(fontsIn(fx.rendered)).toEqual([]);
		const afterChair = fontsIn(fx.chairSigned);
		expect(afterChair).toHaveLength(1);
		expect(fontsIn(fx.sealed)).toEqual(afterChair);
	});
});

describe('the trailer /ID', () => {
	it('keeps its first element and changes its second with each revision', () => {
		const ids = [fx.rendered, fx.chairSigned, fx.sealed].map((b) => {
			const id = revisionEndingAt(b, b.length).trailer.get(PDFName.of('ID'));
			return (id as PDFArray).asArray().map((x) => Buffer.from((x as PDFHexString).asBytes()).toString('hex'));
		});
		expect(new Set(ids.map((id) => id[0])).size).toBe(1);
		expect(new Set(ids.map((id) => id[1])).size).toBe(3);
	});
});

describe('pdfsig (poppler + NSS)', () => {
	it('reports both signatures valid and trusted, the last one covering the whole document', () => {
		const file = writeTmp(dir, 'sealed.pdf', fx.sealed);
		const r = run('pdfsig', ['-nssdir', `sql:${nss}`, file]);
		const [chair, org] = pdfsigBlocks(r.stdout);
		expect(chair, r.out).toContain('Signature Field Name: sig_chair');
		expect(chair).toContain('Signature Validation: Signature is Valid.');
		expect(chair).toContain('Certificate Validation: Certificate is Trusted.');
		expect(chair).toContain('Signature Type: ETSI.CAdES.detached');
		expect(chair).toContain('Signer Certificate Common Name: Nguyễn Thị Ánh Hồng');
		expect(chair).toContain('Not total document signed');
		expect(org).toContain('Signature Field Name: sig_org');
		expect(org).toContain('Signature Validation: Signature is Valid.');
		expect(org).toContain('Certificate Validation: Certificate is Trusted.');
		expect(org).toContain('Total document signed');
		expect(org).not.toContain('Not total document signed');
		expect(org).toContain('Signing Hash Algorithm: SHA-256');
	});

	it('does not trust the signatures without the council CA in its database', () => {
		const empty = tmpDir('nts-nss-empty-');
		run('certutil', ['-N', '--empty-password', '-d', `sql:${empty}`]);
		const out = run('pdfsig', ['-nssdir', `sql:${empty}`, writeTmp(dir, 'sealed2.pdf', fx.sealed)]).stdout;
		expect(out).toContain('Signature is Valid.');
		expect(out).not.toContain('Certificate is Trusted.');
	});
});

describe('CMS content (PAdES B-B)', () => {
	it('verifies with openssl cms -verify -cades against the council CA', () => {
		const ca = writeTmp(dir, 'ca.pem', fx.pki.caPem);
		const sigs = extractSignatures(fx.sealed);
		expect(sigs).toHaveLength(2);
		sigs.forEach((sig, i) => {
			const der = writeTmp(dir, `sig${i}.der`, sig.cms);
			const content = writeTmp(dir, `signed${i}.bin`, sig.signed);
			const r = opensslCmsVerify(der, content, ca);
			expect(r.out).toContain('CAdES Verification successful');
			expect(r.status, r.out).toBe(0);
			// The same CMS does not verify over different bytes.
			const other = writeTmp(dir, `other${i}.bin`, Buffer.concat([sig.signed, Buffer.from('x')]));
			const bad = opensslCmsVerify(der, other, ca);
			expect(bad.status).not.toBe(0);
		});
	});

	it('has one SignerInfo with exactly content-type, message-digest and signing-certificate-v2, DER-sorted', () => {
		for (const { cms } of extractSignatures(fx.sealed)) {
			const ci = forge.asn1.fromDer(forge.util.createBuffer(cms.toString('binary')));
			const sd = ((ci.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
			const signerInfos = sd[sd.length - 1].value as forge.asn1.Asn1[];
			expect(signerInfos).toHaveLength(1);
			const si = signerInfos[0].value as forge.asn1.Asn1[];
			const attrs = si.find((x) => x.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && x.type === 0)!.value as forge.asn1.Asn1[];
			const oids = attrs.map((a) => forge.asn1.derToOid((a.value as forge.asn1.Asn1[])[0].value as string));
			expect([...oids].sort()).toEqual([OID.contentType, OID.messageDigest, OID.signingCertificateV2].sort());
			expect(oids).not.toContain(OID.signingTime);
			const ders = attrs.map((a) => Buffer.from(forge.asn1.toDer(a).getBytes(), 'binary'));
			for (let i = 1; i < ders.length; i++) expect(Buffer.compare(ders[i - 1], ders[i])).toBeLessThan(0);
			const dump = run('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', writeTmp(dir, 'print.der', cms)]).stdout;
			expect(dump).toContain('id-smime-aa-signingCertificateV2');
			expect(dump).not.toContain('signingTime');
			expect(dump.match(/d\.certificate:/g)).toHaveLength(2); // signer + root
		}
	});

	it('writes the PAdES signature dictionary with /M in Vietnam time', () => {
		const s = latin(fx.sealed);
		expect(s.match(/\/Filter \/Adobe\.PPKLite/g)).toHaveLength(2);
		expect(s.match(/\/SubFilter \/ETSI\.CAdES\.detached/g)).toHaveLength(2);
		const day = `${SIGNED_ON.yyyy}${SIGNED_ON.mm}${SIGNED_ON.dd}`;
		expect(s).toContain(`/M (D:${day}093000+07'00')`);
		expect(s).toContain(`/M (D:${day}100500+07'00')`);
	});

	it('fills the prepared fields with a visible appearance instead of adding new fields', async () => {
		const doc = await PDFDocument.load(fx.sealed);
		const form = doc.getForm();
		expect(form.getFields().map((f) => f.getName())).toEqual(['sig_chair', 'sig_org']);
		expect(doc.getPages()[2].node.Annots()?.size()).toBe(2);
		const file = writeTmp(dir, 'sealed3.pdf', fx.sealed);
		// The widget appearance shows the signer; pdftotext does not read annotations, so rasterise
		// the signature row before and after signing and expect ink to have been added.
		const ink = (f: string) => {
			const root = path.join(dir, `ink-${path.basename(f)}`);
			const r = run('pdftoppm', ['-r', '36', '-f', '3', '-l', '3', '-gray', f, root]);
			expect(r.status, r.out).toBe(0);
			const pgm = fs.readFileSync(`${root}-3.pgm`);
			return [...pgm.subarray(pgm.length - 298 * 421)].filter((v) => v < 160).length;
		};
		expect(ink(file)).toBeGreaterThan(ink(writeTmp(dir, 'unsigned.pdf', fx.rendered)));
	});
});

describe('images in the appearance', () => {
	it('embeds a PNG (seal or handwritten signature) and stays valid', async () => {
		const png = await QRCode.toBuffer('con dấu', {
			type: 'png',
			width: 120,
			margin: 0
		});
		const sealed = await signPdf(fx.chairSigned, orgOptions(fx.pki.org, { image: png }));
		const update = latin(sealed.subarray(fx.chairSigned.length));
		expect(update).toMatch(/\/Subtype \/Image/);
		const out = run('pdfsig', ['-nssdir', `sql:${nss}`, writeTmp(dir, 'image.pdf', sealed)]).stdout;
		expect(out.match(/Signature is Valid\./g)).toHaveLength(2);
		expect(run('qpdf', ['--check', writeTmp(dir, 'image2.pdf', sealed)]).status).toBe(0);
	});
});

describe('tampering', () => {
	/** Flips one byte at `pos`, returning a new file. */
	const flip = (bytes: Uint8Array, pos: number) => {
		const out = Buffer.from(bytes);
		out[pos] ^= 0x01;
		return out;
	};

	it('a byte changed in the first revision breaks both signatures (pdfsig and verifyPdf)', () => {
		// Inside the first content stream of page 1 (signed by both).
		const s = latin(fx.sealed);
		const pos = s.indexOf('stream', s.indexOf('/Length')) + 40;
		expect(pos).toBeLessThan(fx.rendered.length);
		const bad = flip(fx.sealed, pos);
		const out = run('pdfsig', ['-nssdir', `sql:${nss}`, writeTmp(dir, 'tamper1.pdf', bad)]).stdout;
		expect(out).not.toContain('Signature is Valid.');
		expect(out.match(/Digest Mismatch/g)).toHaveLength(2);
		const v = verifyPdf(bad, { trustedRoots: [fx.pki.caPem] });
		expect(v.signatures.map((x) => x.intact)).toEqual([false, false]);
		expect(v.signatures.every((x) => x.problems.includes('DIGEST_MISMATCH'))).toBe(true);
	});

	it('a byte changed in the organisation update breaks only the organisation signature', () => {
		const s = latin(fx.sealed);
		// A byte of the appearance stream added by the second signature.
		const pos = s.indexOf('stream', fx.chairSigned.length) + 20;
		const bad = flip(fx.sealed, pos);
		const out = run('pdfsig', ['-nssdir', `sql:${nss}`, writeTmp(dir, 'tamper2.pdf', bad)]).stdout;
		const [chair, org] = pdfsigBlocks(out);
		expect(chair).toContain('Signature is Valid.');
		expect(org).toContain('Digest Mismatch');
		const v = verifyPdf(bad, { trustedRoots: [fx.pki.caPem] });
		expect(v.signatures.map((x) => [x.fieldName, x.intact])).toEqual([
			['sig_chair', true],
			['sig_org', false]
		]);
	});

	it('a byte changed in the last signed range is detected too', () => {
		// A hex digit of the seal's /Name: the file still reads, only the seal's digest changes.
		const pos = Buffer.from(fx.sealed).toString('latin1').lastIndexOf('/Name <') + '/Name <FEFF'.length;
		const bad = Buffer.from(fx.sealed);
		bad[pos] = bad[pos] === 0x30 ? 0x31 : 0x30;
		const v = verifyPdf(bad, { trustedRoots: [fx.pki.caPem] });
		expect(v.signatures[1].intact).toBe(false);
		expect(v.signatures[0].intact).toBe(true);
	});

	it('a byte changed in the trailer makes the file unreadable, not valid', () => {
		const pos = fx.sealed.length - 30; // inside "startxref\n<offset>\n%%EOF"
		expect(() => verifyPdf(flip(fx.sealed, pos), { trustedRoots: [fx.pki.caPem] })).toThrow(expect.objectContaining({ code: 'MALFORMED_PDF' }));
	});
});

describe('refusals', () => {
	it('refuses to sign with expired, not-yet-valid or revoked certificates', async () => {
		const expired = issuePersonCertificate(fx.pki.ca, {
			commonName: 'Cũ',
			organization: 'HĐND',
			// ended a year before the fixtures' signing time, whenever the test runs
			validFrom: new Date(SIGNED_AT_CHAIR.getTime() - 2 * 365 * DAY_MS),
			validTo: new Date(SIGNED_AT_CHAIR.getTime() - 365 * DAY_MS)
		});
		const future = issuePersonCertificate(fx.pki.ca, {
			commonName: 'Mới',
			organization: 'HĐND',
			// a year ahead of whenever the test runs, so it stays in the future
			validFrom: new Date(Date.now() + 365 * DAY_MS),
			validTo: new Date(Date.now() + 2 * 365 * DAY_MS)
		});
		expect(await codeOf(signPdf(fx.rendered, chairOptions(expired)))).toBe('CERT_EXPIRED');
		expect(await codeOf(signPdf(fx.rendered, chairOptions(future)))).toBe('CERT_NOT_YET_VALID');
		const revoked = [fx.pki.chair.certificate.serialNumber];
		expect(await codeOf(signPdf(fx.rendered, chairOptions(fx.pki.chair, { revokedSerials: revoked })))).toBe('CERT_REVOKED');
	});

	it('refuses a key that does not belong to the certificate', async () => {
		const opts = chairOptions(fx.pki.chair, {
			privateKey: fx.pki.org.privateKey
		});
		expect(await codeOf(signPdf(fx.rendered, opts))).toBe('KEY_CERT_MISMATCH');
	});

	it('refuses to sign the same field twice, and unknown fields', async () => {
		expect(await codeOf(signPdf(fx.chairSigned, chairOptions(fx.pki.chair)))).toBe('FIELD_ALREADY_SIGNED');
		const noFields = await (await PDFDocument.create()).save({ useObjectStreams: false });
		expect(await codeOf(signPdf(noFields, chairOptions(fx.pki.chair)))).toBe('FIELD_NOT_FOUND');
	});

	it('refuses bytes that are not a PDF, or are cut short', async () => {
		expect(await codeOf(signPdf(new TextEncoder().encode('xin chào, đây không phải PDF'), chairOptions(fx.pki.chair)))).toBe('NOT_A_PDF');
		expect(await codeOf(signPdf(fx.rendered.subarray(0, fx.rendered.length - 100), chairOptions(fx.pki.chair)))).toBe('TRUNCATED_PDF');
	});

	it('can sign again after the resolution is re-rendered (signatures do not depend on state)', async () => {
		const pdf = await renderResolution(sampleResolution({ number: '06/2026/NQ-HĐND' }));
		const signed = await signPdf(pdf, chairOptions(fx.pki.chair));
		const v = verifyPdf(signed, { trustedRoots: [fx.pki.caPem] });
		expect(v.signatures).toHaveLength(1);
		expect(v.signatures[0]).toMatchObject({
			fieldName: 'sig_chair',
			intact: true,
			coversWholeDocument: true,
			chainTrusted: true,
			problems: []
		});
	});
});
