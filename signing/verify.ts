/**
 * Verifies every signature in a PDF without trusting the file: the signatures are located by
 * scanning the raw bytes for /ByteRange, each range is checked against the position of its own
 * /Contents, the covered bytes are re-hashed, and the CMS is checked with node:crypto:
 * message-digest attribute, signature value, ESS signing-certificate, chain to trusted roots.
 *
 * Structural nonsense (not a PDF, truncated, a ByteRange that does not frame its /Contents,
 * undecodable CMS) throws a SigningError; a well-formed signature that does not check out is
 * reported with intact=false and problem codes. Everything is bounded: size, signature count,
 * DER nesting, regular expressions without nested quantifiers.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { children, content, expectTag, oidText, readTlv, TAG, type Tlv, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';
import type { VerifyProblemCode } from './messages.js';
import { OID } from './cms.js';
import { assertPdfHeader, latin1 } from './pdf-tail.js';
import { certificateFromDer, certificateSummary, normalizeSerial } from './pki.js';
import { parsePdfDate } from './vn-time.js';

export interface VerifyOptions {
	trustedRoots?: (forge.pki.Certificate | string | Uint8Array)[];
	/** Serial numbers (hex) that the CA has revoked. */
	revokedSerials?: Iterable<string>;
	/** Refuse larger files (default 50 MiB). */
	maxBytes?: number;
	/** Refuse files with more signatures (default 20). */
	maxSignatures?: number;
}

export interface CertificateInfo {
	subject: string;
	issuer: string;
	serial: string;
	notBefore: Date;
	notAfter: Date;
}

export interface SignatureReport {
	fieldName: string | null;
	signerName: string;
	/** The claimed time (/M); PAdES B-B has no trusted time. */
	signingTime: Date | null;
	subFilter: string | null;
	byteRange: [number, number, number, number];
	/** The covered bytes are unchanged and the signature value is correct for the certificate. */
	intact: boolean;
	/** The signature covers the file up to its last byte (no later revisions). */
	coversWholeDocument: boolean;
	chainTrusted: boolean;
	certificate: CertificateInfo | null;
	problems: VerifyProblemCode[];
}

export interface VerifyResult {
	signatures: SignatureReport[];
	/** SHA-256 of the whole file, hex; to compare with the archived copy. */
	sha256: string;
}

const HASHES: Record<string, string> = {
	[OID.sha256]: 'sha256',
	[OID.sha384]: 'sha384',
	[OID.sha512]: 'sha512'
};
const SIG_HASHES: Record<string, string> = {
	[OID.sha256WithRSAEncryption]: 'sha256',
	[OID.sha384WithRSAEncryption]: 'sha384',
	[OID.sha512WithRSAEncryption]: 'sha512',
	'1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
	'1.2.840.10045.4.3.3': 'sha384',
	'1.2.840.10045.4.3.4': 'sha512'
};

const malformed = (why: string): never => {
	throw new SigningError('MALFORMED_SIGNATURE', why);
};

// ---------------------------------------------------------------------------------------------
// Locating signatures in the raw bytes

interface RawSignature {
	byteRange: [number, number, number, number];
	dict: string;
	objectNumber: number | null;
	generation: number;
	contentsHex: string;
}

/** Start of the "N G obj" that contains position `pos` (scan back, bounded). */
function enclosingObject(s: string, pos: number): { start: number; num: number; gen: number } | null {
	let p = pos;
	for (let tries = 0; tries < 4; tries++) {
		const i = s.lastIndexOf('obj', p);
		if (i < 0 || pos - i > 1_000_000) return null;
		if (s.slice(Math.max(0, i - 3), i) !== 'end') {
			const m = /(\d{1,10})\s+(\d{1,5})\s+$/.exec(s.slice(Math.max(0, i - 24), i));
			if (m) return { start: i - m[0].length, num: Number(m[1]), gen: Number(m[2]) };
		}
		p = i - 1;
	}
	return null;
}

function findSignatures(buf: Uint8Array, s: string, maxSignatures: number): RawSignature[] {
	const out: RawSignature[] = [];
	const marker = /\/ByteRange\b/g;
	const arrayRe = /^\/ByteRange\s*\[\s*(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]/;
	for (let m = marker.exec(s); m; m = marker.exec(s)) {
		if (out.length >= maxSignatures) throw new SigningError('TOO_MANY_SIGNATURES', `more than ${maxSignatures}`);
		const arr = arrayRe.exec(s.slice(m.index, m.index + 128));
		if (!arr) malformed('/ByteRange is not an array of four integers');
		const br = arr!.slice(1).map(Number) as [number, number, number, number];
		const [a, b, c, d] = br;
		if (a !== 0) malformed('/ByteRange does not start at 0');
		if (!(b > 0 && c > b)) malformed('/ByteRange ranges overlap or are empty');
		if (c + d > buf.length) throw new SigningError('TRUNCATED_PDF', '/ByteRange extends beyond the end of the file');
		if (c - b > 2 * 1024 * 1024) malformed('/Contents too large');
		// The gap must be exactly the /Contents hex string of this dictionary, delimiters included.
		if (buf[b] !== 0x3c || buf[c - 1] !== 0x3e) malformed('/ByteRange does not frame a hex string');
		const hex = s.slice(b + 1, c - 1);
		if (!/^[0-9A-Fa-f\s]*$/.test(hex)) malformed('/Contents is not a hex string');
		const obj = enclosingObject(s, m.index);
		if (!obj) malformed('signature dictionary is not inside an object');
		const endobj = s.indexOf('endobj', m.index);
		const dictEnd = endobj < 0 ? Math.min(s.length, m.index + 4096) : endobj;
		if (!(obj!.start < b && c <= dictEnd)) malformed('/ByteRange does not point at the /Contents of its own dictionary');
		const keyBefore = /\/Contents\s*$/.test(s.slice(Math.max(obj!.start, b - 32), b));
		if (!keyBefore) malformed('the excluded range is not the /Contents value');
		// Dictionary text without the big hex string, for the other entries.
		const dict = s.slice(obj!.start, b) + s.slice(c, dictEnd);
		out.push({
			byteRange: br,
			dict,
			objectNumber: obj!.num,
			generation: obj!.gen,
			contentsHex: hex.replace(/\s+/g, '')
		});
	}
	return out;
}

/** Decodes a PDF literal string body (escapes, octal) to bytes. */
function literalStringBytes(s: string, start: number): { bytes: number[]; end: number } | null {
	const out: number[] = [];
	let depth = 1;
	for (let i = start; i < s.length && i < start + 4096; i++) {
		const ch = s[i];
		if (ch === '\\') {
			const n = s[++i];
			const map: Record<string, number> = {
				n: 10,
				r: 13,
				t: 9,
				b: 8,
				f: 12,
				'(': 40,
				')': 41,
				'\\': 92
			};
			if (n in map) out.push(map[n]);
			else if (/[0-7]/.test(n)) {
				let oct = n;
				while (oct.length < 3 && /[0-7]/.test(s[i + 1])) oct += s[++i];
				out.push(parseInt(oct, 8) & 0xff);
			} else if (n === '\r' && s[i + 1] === '\n') i++;
			continue;
		}
		if (ch === '(') depth++;
		if (ch === ')' && --depth === 0) return { bytes: out, end: i };
		out.push(ch.charCodeAt(0));
	}
	return null;
}

function pdfText(bytes: number[]): string {
	if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.slice(2)).swap16().toString('utf16le');
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return Buffer.from(bytes.slice(3)).toString('utf8');
	return Buffer.from(bytes).toString('latin1');
}

/** Reads a text-string entry (literal or hex) from a dictionary's text. */
function dictText(dict: string, key: string): string | null {
	const m = new RegExp(`/${key}\\s*([(<])`).exec(dict);
	if (!m) return null;
	const at = m.index + m[0].length;
	if (m[1] === '(') {
		const lit = literalStringBytes(dict, at);
		return lit ? pdfText(lit.bytes) : null;
	}
	const end = dict.indexOf('>', at);
	if (end < 0 || end - at > 4096) return null;
	const hex = dict.slice(at, end).replace(/\s+/g, '');
	if (!/^[0-9A-Fa-f]*$/.test(hex)) return null;
	return pdfText([...Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex')]);
}

/** The /T of the (latest) field whose /V points at the signature dictionary. */
function fieldNameFor(s: string, num: number, gen: number): string | null {
	const re = new RegExp(`/V\\s+${num}\\s+${gen}\\s+R\\b`, 'g');
	let name: string | null = null;
	let count = 0;
	for (let m = re.exec(s); m && count < 50; m = re.exec(s), count++) {
		const obj = enclosingObject(s, m.index);
		if (!obj) continue;
		const end = s.indexOf('endobj', m.index);
		const text = s.slice(obj.start, end < 0 ? m.index + 4096 : end);
		// Only a field's own /T: skip nested dictionaries such as /MK or /AP.
		const t = dictText(text, 'T');
		if (t !== null) name = t;
	}
	return name;
}

// ---------------------------------------------------------------------------------------------
// CMS

interface ParsedCms {
	certs: Uint8Array[];
	digestAlgorithm: string;
	signedAttrs: Tlv | null;
	sigAlgorithm: string;
	signature: Uint8Array;
	sidIssuerSerial: { issuer: Uint8Array; serial: Uint8Array } | null;
	sidKeyId: Uint8Array | null;
}

function parseCms(buf: Uint8Array): ParsedCms {
	const ci = expectTag(readTlv(buf, 0), TAG.SEQUENCE, 'ContentInfo');
	const [ct, wrapped] = children(buf, ci);
	if (!ct || oidText(buf, ct) !== OID.signedData) malformed('not a CMS SignedData');
	const sd = expectTag(children(buf, expectTag(wrapped, TAG.CTX0, '[0] content'))[0], TAG.SEQUENCE, 'SignedData');
	const parts = children(buf, sd);
	const encap = expectTag(parts[2], TAG.SEQUENCE, 'EncapsulatedContentInfo');
	if (children(buf, encap).length > 1) malformed('the CMS is not detached');
	let i = 3;
	const certs: Uint8Array[] = [];
	if (parts[i]?.tag === TAG.CTX0) {
		for (const c of children(buf, parts[i])) if (c.tag === TAG.SEQUENCE) certs.push(tlvBytes(buf, c));
		i++;
	}
	if (parts[i]?.tag === TAG.CTX1) i++; // CRLs: not used in B-B
	const signerInfos = children(buf, expectTag(parts[i], TAG.SET, 'SignerInfos'));
	if (signerInfos.length !== 1) malformed(`expected one SignerInfo, found ${signerInfos.length}`);
	const si = children(buf, expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
	let k = 1;
	const sid = si[k++];
	let sidIssuerSerial: ParsedCms['sidIssuerSerial'] = null;
	let sidKeyId: Uint8Array | null = null;
	if (sid?.tag === TAG.SEQUENCE) {
		const [issuer, serial] = children(buf, sid);
		if (!issuer || !serial) malformed('bad IssuerAndSerialNumber');
		sidIssuerSerial = {
			issuer: tlvBytes(buf, issuer),
			serial: content(buf, serial)
		};
	} else if (sid?.tag === 0x80) sidKeyId = content(buf, sid);
	else malformed('bad SignerIdentifier');
	const digestAlgorithm = oidText(buf, children(buf, expectTag(si[k++], TAG.SEQUENCE, 'digestAlgorithm'))[0]);
	let signedAttrs: Tlv | null = null;
	if (si[k]?.tag === TAG.CTX0) signedAttrs = si[k++];
	const sigAlgorithm = oidText(buf, children(buf, expectTag(si[k++], TAG.SEQUENCE, 'signatureAlgorithm'))[0]);
	const signature = content(buf, expectTag(si[k++], TAG.OCTET_STRING, 'signature'));
	return {
		certs,
		digestAlgorithm,
		signedAttrs,
		sigAlgorithm,
		signature,
		sidIssuerSerial,
		sidKeyId
	};
}

/** Issuer Name (whole TLV) and serial (contents) of a certificate, plus its SPKI bit string. */
function certIds(der: Uint8Array) {
	const cert = readTlv(der, 0);
	const tbs = children(der, children(der, cert)[0]);
	const o = tbs[0].tag === TAG.CTX0 ? 1 : 0;
	const spki = children(der, tbs[o + 5]);
	return {
		serial: content(der, tbs[o]),
		issuer: tlvBytes(der, tbs[o + 2]),
		publicKeyBits: content(der, spki[1]).subarray(1)
	};
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

interface AttrCheck {
	messageDigest: Uint8Array | null;
	contentTypeOk: boolean;
	hasSigningTime: boolean;
	essCertHashes: { alg: string; hash: Uint8Array }[] | null;
}

function readSignedAttrs(buf: Uint8Array, attrs: Tlv): AttrCheck {
	const r: AttrCheck = {
		messageDigest: null,
		contentTypeOk: false,
		hasSigningTime: false,
		essCertHashes: null
	};
	for (const attr of children(buf, attrs)) {
		const [type, values] = children(buf, expectTag(attr, TAG.SEQUENCE, 'Attribute'));
		const oid = oidText(buf, type);
		const vals = children(buf, expectTag(values, TAG.SET, 'AttributeValues'));
		if (oid === OID.messageDigest) r.messageDigest = content(buf, expectTag(vals[0], TAG.OCTET_STRING, 'messageDigest'));
		else if (oid === OID.contentType) r.contentTypeOk = oidText(buf, vals[0]) === OID.data;
		else if (oid === OID.signingTime) r.hasSigningTime = true;
		else if (oid === OID.signingCertificateV2 || oid === OID.signingCertificate) {
			const v2 = oid === OID.signingCertificateV2;
			const certsSeq = children(buf, expectTag(vals[0], TAG.SEQUENCE, 'SigningCertificate'))[0];
			r.essCertHashes = children(buf, expectTag(certsSeq, TAG.SEQUENCE, 'certs')).map((id) => {
				const f = children(buf, id);
				// ESSCertIDv2 may start with an AlgorithmIdentifier (absent = SHA-256); v1 is SHA-1.
				if (v2 && f[0]?.tag === TAG.SEQUENCE) {
					return {
						alg: HASHES[oidText(buf, children(buf, f[0])[0])] ?? 'unknown',
						hash: content(buf, f[1])
					};
				}
				return {
					alg: v2 ? 'sha256' : 'sha1',
					hash: content(buf, expectTag(f[0], TAG.OCTET_STRING, 'certHash'))
				};
			});
		}
	}
	return r;
}

// ---------------------------------------------------------------------------------------------

function toX509(c: forge.pki.Certificate | string | Uint8Array): crypto.X509Certificate {
	if (typeof c === 'string') return new crypto.X509Certificate(c);
	if (c instanceof Uint8Array) return new crypto.X509Certificate(Buffer.from(c));
	return new crypto.X509Certificate(forge.pki.certificateToPem(c));
}

/** Walks issuer links (signature-checked) from the signer to one of the trusted roots. */
function chainTrusted(signer: crypto.X509Certificate, pool: crypto.X509Certificate[], roots: crypto.X509Certificate[]): boolean {
	let cur = signer;
	const used = new Set<string>([cur.fingerprint256]);
	for (let depth = 0; depth < 8; depth++) {
		if (roots.some((r) => r.fingerprint256 === cur.fingerprint256)) return true;
		if (roots.some((r) => cur.checkIssued(r) && cur.verify(r.publicKey))) return true;
		const next = pool.find((p) => !used.has(p.fingerprint256) && cur.checkIssued(p) && cur.verify(p.publicKey));
		if (!next) return false;
		used.add(next.fingerprint256);
		cur = next;
	}
	return false;
}

function describe(der: Uint8Array, x: crypto.X509Certificate): { info: CertificateInfo; commonName: string } {
	try {
		const s = certificateSummary(certificateFromDer(der));
		return {
			info: {
				subject: s.subject,
				issuer: s.issuer,
				serial: s.serial,
				notBefore: s.notBefore,
				notAfter: s.notAfter
			},
			commonName: s.commonName
		};
	} catch {
		// forge only reads RSA certificates; fall back to OpenSSL's rendering.
		const cn = /(?:^|\n)CN=([^\n]*)/.exec(x.subject)?.[1] ?? '';
		return {
			info: {
				subject: x.subject.replace(/\n/g, ', '),
				issuer: x.issuer.replace(/\n/g, ', '),
				serial: normalizeSerial(x.serialNumber),
				notBefore: new Date(x.validFrom),
				notAfter: new Date(x.validTo)
			},
			commonName: cn
		};
	}
}

function verifyOne(buf: Uint8Array, s: string, raw: RawSignature, roots: crypto.X509Certificate[], revoked: Set<string>): SignatureReport {
	const [, b, c, d] = raw.byteRange;
	const problems: VerifyProblemCode[] = [];
	const subFilter = /\/SubFilter\s*\/([A-Za-z0-9.#_-]{1,64})/.exec(raw.dict)?.[1] ?? null;
	const isCades = subFilter === 'ETSI.CAdES.detached';
	const mText = dictText(raw.dict, 'M');
	const signingTime = mText ? (parsePdfDate(mText) ?? null) : null;
	const fieldName = raw.objectNumber === null ? null : fieldNameFor(s, raw.objectNumber, raw.generation);

	const hex = raw.contentsHex;
	if (hex.length < 4 || /^0*$/.test(hex)) malformed('empty /Contents (unsigned placeholder)');
	const cmsPadded = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
	const outer = readTlv(cmsPadded, 0);
	const cmsBuf = cmsPadded.subarray(0, outer.end); // zero padding after the DER is normal
	const cms = parseCms(cmsBuf);

	const certX = cms.certs.map((der) => {
		try {
			return new crypto.X509Certificate(Buffer.from(der));
		} catch {
			return malformed('a certificate in the signature is unreadable');
		}
	});
	const signerIndex = cms.certs.findIndex((der) => {
		const ids = certIds(der);
		if (cms.sidIssuerSerial) return eq(ids.issuer, cms.sidIssuerSerial.issuer) && eq(ids.serial, cms.sidIssuerSerial.serial);
		return !!cms.sidKeyId && eq(crypto.createHash('sha1').update(ids.publicKeyBits).digest(), cms.sidKeyId);
	});

	const hashName = HASHES[cms.digestAlgorithm];
	let digestOk = false;
	let signatureOk = false;
	if (!hashName) problems.push('UNSUPPORTED_ALGORITHM');
	else {
		const digest = crypto
			.createHash(hashName)
			.update(buf.subarray(0, b))
			.update(buf.subarray(c, c + d))
			.digest();
		let signedData: Uint8Array;
		if (cms.signedAttrs) {
			const attrs = readSignedAttrs(cmsBuf, cms.signedAttrs);
			digestOk = !!attrs.messageDigest && eq(attrs.messageDigest, digest);
			if (!attrs.contentTypeOk) problems.push('CONTENT_TYPE_MISMATCH');
			if (attrs.hasSigningTime && isCades) problems.push('SIGNING_TIME_ATTR_PRESENT');
			if (signerIndex >= 0) {
				const certDer = cms.certs[signerIndex];
				if (!attrs.essCertHashes) {
					if (isCades) problems.push('SIGNING_CERT_ATTR_MISSING');
				} else if (!attrs.essCertHashes.some((h) => h.alg !== 'unknown' && eq(crypto.createHash(h.alg).update(certDer).digest(), h.hash))) {
					problems.push('SIGNING_CERT_ATTR_MISMATCH');
				}
			}
			// The signature covers the attributes with their SET tag, not the [0] of SignerInfo.
			const attrBytes = Buffer.from(tlvBytes(cmsBuf, cms.signedAttrs));
			attrBytes[0] = TAG.SET;
			signedData = attrBytes;
		} else {
			digestOk = true; // no attributes: the signature itself covers the content
			signedData = Buffer.concat([buf.subarray(0, b), buf.subarray(c, c + d)]);
		}
		if (!digestOk) problems.push('DIGEST_MISMATCH');
		if (signerIndex < 0) problems.push('SIGNER_CERT_NOT_FOUND');
		else {
			const key = certX[signerIndex].publicKey;
			const isRsa = cms.sigAlgorithm === OID.rsaEncryption;
			const sigHash = isRsa ? hashName : SIG_HASHES[cms.sigAlgorithm];
			const keyOk = isRsa ? key.asymmetricKeyType === 'rsa' : key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'ec';
			if (!sigHash || !keyOk) problems.push('UNSUPPORTED_ALGORITHM');
			else {
				try {
					signatureOk = crypto.verify(sigHash, signedData, key, cms.signature);
				} catch {
					signatureOk = false;
				}
				if (!signatureOk) problems.push('SIGNATURE_INVALID');
			}
		}
	}

	let certificate: CertificateInfo | null = null;
	let signerName = dictText(raw.dict, 'Name') ?? '';
	let trusted = false;
	if (signerIndex >= 0) {
		const x = certX[signerIndex];
		const desc = describe(cms.certs[signerIndex], x);
		certificate = desc.info;
		if (desc.commonName) signerName = desc.commonName;
		trusted = chainTrusted(x, certX, roots);
		if (!trusted) problems.push('CHAIN_UNTRUSTED');
		if (signingTime) {
			if (signingTime < certificate.notBefore) problems.push('CERT_NOT_YET_VALID_AT_SIGNING');
			if (signingTime > certificate.notAfter) problems.push('CERT_EXPIRED_AT_SIGNING');
		}
		if (revoked.has(certificate.serial)) problems.push('CERT_REVOKED');
	}

	return {
		fieldName,
		signerName,
		signingTime,
		subFilter,
		byteRange: raw.byteRange,
		intact: digestOk && signatureOk,
		coversWholeDocument: c + d === buf.length,
		chainTrusted: trusted,
		certificate,
		problems
	};
}

export function verifyPdf(input: Uint8Array, opts: VerifyOptions = {}): VerifyResult {
	const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;
	if (!(input instanceof Uint8Array)) throw new SigningError('NOT_A_PDF', 'expected bytes');
	if (input.length > maxBytes) throw new SigningError('PDF_TOO_LARGE', `${input.length} > ${maxBytes} bytes`);
	assertPdfHeader(input);
	const s = latin1(input);
	if (s.lastIndexOf('%%EOF') < 0) throw new SigningError('TRUNCATED_PDF', 'no %%EOF');
	// Encrypted files need no special case: /Contents is never encrypted and the ranges are raw bytes.
	let roots: crypto.X509Certificate[];
	try {
		roots = (opts.trustedRoots ?? []).map(toX509);
	} catch (e) {
		throw new SigningError('MALFORMED_SIGNATURE', 'a trusted root certificate is unreadable', { cause: e });
	}
	const revoked = new Set([...(opts.revokedSerials ?? [])].map(normalizeSerial));
	const raws = findSignatures(input, s, opts.maxSignatures ?? 20);
	const signatures = raws.map((raw) => {
		try {
			return verifyOne(input, s, raw, roots, revoked);
		} catch (e) {
			if (e instanceof SigningError) throw e;
			// Anything unexpected while decoding hostile bytes is still a malformed signature.
			throw new SigningError('MALFORMED_SIGNATURE', e instanceof Error ? e.message : String(e), { cause: e });
		}
	});
	signatures.sort((x, y) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]));
	return {
		signatures,
		sha256: crypto.createHash('sha256').update(input).digest('hex')
	};
}
