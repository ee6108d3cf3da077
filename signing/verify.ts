/**
 * Verifies every signature in a PDF without trusting the file: the signatures are found as a reader
 * finds them (the form's signature fields in the last revision, revisions.ts), each /ByteRange is
 * checked to exclude exactly its own /Contents, the covered bytes are re-hashed, and the CMS is
 * checked with node:crypto: message-digest attribute, signature value, ESS signing-certificate,
 * chain to trusted roots. A signature timestamp (PAdES B-T, an RFC 3161 token in the unsigned attributes) is
 * checked too (timestamp-token.ts); when it holds, its time is the signing time shown. Every update after a
 * signature is reviewed (modifications.ts): content changed after signing makes the signature's report say so,
 * even though its bytes are intact.
 *
 * Structural nonsense (not a PDF, truncated, a ByteRange that does not frame its /Contents,
 * undecodable CMS) throws a SigningError; a well-formed signature that does not check out is
 * reported with intact=false and problem codes. Everything is bounded: size, signature count,
 * DER nesting, regular expressions without nested quantifiers.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { PDFHexString, PDFName, PDFNumber, PDFRef, type PDFDict, type PDFObject } from 'pdf-lib';
import { children, content, expectTag, oidText, readTlv, TAG, type Tlv, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';
import type { VerifyProblemCode } from './messages.js';
import { OID } from './cms.js';
import { certificationLevel, reviewUpdate, textOf, type Modification } from './modifications.js';
import { assertPdfHeader, latin1 } from './pdf-tail.js';
import { Revision, revisionEndingAt } from './revisions.js';
import { certificateFromDer, certificateSummary, normalizeSerial } from './pki.js';
import { checkTimestampToken } from './timestamp-token.js';
import { parsePdfDate } from './vn-time.js';

export interface VerifyOptions {
	trustedRoots?: (forge.pki.Certificate | string | Uint8Array)[];
	/**
	 * Certificates the CAs have revoked (serial in hex) and when. A signature whose trusted timestamp is earlier than
	 * the revocation stays valid: it provably existed while the certificate was good (a chair's certificate is
	 * revoked when a new one replaces it, and every resolution signed before must still verify). Without a trusted
	 * timestamp the signer's own claimed time proves nothing, so any revocation counts.
	 */
	revoked?: Iterable<{ serial: string; revokedAt: Date }>;
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
	/**
	 * The time to show as "signed at": the signature timestamp's genTime when the signature carries a valid, trusted
	 * RFC 3161 timestamp (PAdES B-T), otherwise the signer's claimed time (/M).
	 */
	signingTime: Date | null;
	/** The signer's own claim (/M), whatever the timestamp says. */
	claimedTime: Date | null;
	/** The signature timestamp (id-aa-signatureTimeStampToken), when one is present and sound; null otherwise. */
	timestamp: { time: Date; trusted: boolean } | null;
	subFilter: string | null;
	byteRange: [number, number, number, number];
	/** The covered bytes are unchanged and the signature value is correct for the certificate. */
	intact: boolean;
	/** The signature covers the file up to its last byte (no later revisions). */
	coversWholeDocument: boolean;
	/** Changes made after this signature that the policy does not allow (see modifications.ts), with the revision that made each. */
	laterModifications: (Modification & { revision: number })[];
	chainTrusted: boolean;
	certificate: CertificateInfo | null;
	problems: VerifyProblemCode[];
}

/** A document timestamp (PAdES B-LTA): the TSA vouches that the file up to it existed at `time`; nobody signs. */
export interface DocumentTimestampReport {
	fieldName: string | null;
	/** genTime of the token, when it could be read. */
	time: Date | null;
	/** The token is sound and its imprint is the hash of the bytes /ByteRange covers. */
	intact: boolean;
	/** The TSA's certificate chains to a trusted root. */
	trusted: boolean;
	byteRange: [number, number, number, number];
	coversWholeDocument: boolean;
	problems: VerifyProblemCode[];
}

export interface VerifyResult {
	signatures: SignatureReport[];
	/** Document timestamps (/Type /DocTimeStamp, /SubFilter /ETSI.RFC3161), in file order. */
	documentTimestamps: DocumentTimestampReport[];
	/** Disallowed changes after the first signature, by the revision that made them (empty: none). */
	modifications: { revision: number; changes: Modification[] }[];
	/** The DocMDP level of a certifying first signature (2: form filling and signing), or null. */
	certification: number | null;
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
// Locating signatures through the document's structure

interface RawSignature {
	byteRange: [number, number, number, number];
	fieldName: string;
	dict: PDFDict;
	contentsHex: string;
	/** A document timestamp rather than a signature. */
	docTimestamp: boolean;
}

const N = (k: string) => PDFName.of(k);
const MAX_FIELDS = 10_000;
/** A signature dictionary, its /Contents included: 512 KB of CMS (ours is ~10 KB; with revocation data inside, far less than this). */
const MAX_SIGNATURE_OBJECT = 1024 * 1024;

/** The signatures a reader shows: the /V of every signature field of the form, as the file's last revision resolves it. */
function findSignatures(buf: Uint8Array, s: string, doc: Revision, maxSignatures: number): RawSignature[] {
	const out: RawSignature[] = [];
	const seen = new Set<number>();
	let visited = 0;
	const walk = (items: PDFObject[], prefix: string, inheritedType: PDFObject | undefined, depth: number) => {
		for (const ref of items) {
			if (!(ref instanceof PDFRef) || depth > 16 || ++visited > MAX_FIELDS) continue;
			const field = doc.dict(ref);
			if (!field) continue;
			const t = textOf(doc.resolve(field.get(N('T'))));
			const name = t === null ? prefix : prefix ? `${prefix}.${t}` : t;
			const type = doc.resolve(field.get(N('FT'))) ?? inheritedType;
			const v = field.get(N('V'));
			if (type === N('Sig') && v instanceof PDFRef && !seen.has(v.objectNumber)) {
				seen.add(v.objectNumber);
				const raw = signatureAt(buf, s, doc, v, name);
				if (raw) {
					if (out.length >= maxSignatures) throw new SigningError('TOO_MANY_SIGNATURES', `more than ${maxSignatures}`);
					out.push(raw);
				}
			}
			walk(doc.array(field.get(N('Kids')))?.asArray() ?? [], name, type, depth + 1);
		}
	};
	const acroForm = doc.dict(doc.dict(doc.rootRef)?.get(N('AcroForm')));
	walk(doc.array(acroForm?.get(N('Fields')))?.asArray() ?? [], '', undefined, 0);
	return out;
}

/** Reads one signature dictionary and checks that its /ByteRange excludes exactly its own /Contents. */
function signatureAt(buf: Uint8Array, s: string, doc: Revision, ref: PDFRef, fieldName: string): RawSignature | null {
	const loc = doc.location(ref.objectNumber);
	if (loc?.kind === 'compressed') malformed('the signature dictionary is inside a compressed object stream');
	if (loc?.kind !== 'offset') return null;
	const offset = loc.offset;
	// Measured on the raw text before parsing: pdf-lib builds a hex string a character at a time, and megabytes
	// of them (a flood of huge signatures) cost seconds of garbage collection.
	const endobj = s.indexOf('endobj', offset);
	if ((endobj < 0 ? s.length : endobj) - offset > MAX_SIGNATURE_OBJECT) malformed('signature dictionary too large');
	const dict = doc.dict(ref);
	if (!dict) return null;
	// Document timestamps (B-LTA) sit in signature fields too, but are checked as timestamps, not as signatures.
	const docTimestamp = dict.get(N('SubFilter')) === N('ETSI.RFC3161');
	const br = doc.array(dict.get(N('ByteRange')))?.asArray().map((x) => (x instanceof PDFNumber ? x.asNumber() : NaN)) ?? [];
	if (br.length !== 4 || !br.every((x) => Number.isSafeInteger(x) && x >= 0)) malformed('/ByteRange is not an array of four integers');
	const [a, b, c, d] = br;
	if (a !== 0) malformed('/ByteRange does not start at 0');
	if (!(b > 0 && c > b)) malformed('/ByteRange ranges overlap or are empty');
	if (c + d > buf.length) throw new SigningError('TRUNCATED_PDF', '/ByteRange extends beyond the end of the file');
	if (c - b > MAX_SIGNATURE_OBJECT) malformed('/Contents too large');
	// The gap must be exactly the /Contents hex string of this very dictionary, delimiters included.
	if (buf[b] !== 0x3c || buf[c - 1] !== 0x3e) malformed('/ByteRange does not frame a hex string');
	if (!(offset < b && (endobj < 0 || c <= endobj))) malformed('/ByteRange does not point into its own signature dictionary');
	if (!/\/Contents\s*$/.test(s.slice(Math.max(offset, b - 32), b))) malformed('the excluded range is not the /Contents value');
	const hex = s.slice(b + 1, c - 1).replace(/\s+/g, '');
	const contents = dict.get(N('Contents'));
	if (!/^[0-9A-Fa-f]*$/.test(hex) || !(contents instanceof PDFHexString)) malformed('/Contents is not a hex string');
	// Compared as hex text: decoding megabytes of hex through pdf-lib costs seconds of garbage collection.
	if ((contents as PDFHexString).asString().replace(/\s+/g, '').toLowerCase() !== hex.toLowerCase())
		malformed('/ByteRange does not frame the /Contents of its dictionary');
	return { byteRange: [a, b, c, d], fieldName, dict, contentsHex: hex, docTimestamp };
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
	/** unsignedAttrs [1] of the SignerInfo (signature timestamps), or null. */
	unsignedAttrs: Tlv | null;
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
	const unsignedAttrs = si[k]?.tag === TAG.CTX1 ? si[k] : null;
	return {
		certs,
		digestAlgorithm,
		signedAttrs,
		sigAlgorithm,
		signature,
		sidIssuerSerial,
		sidKeyId,
		unsignedAttrs
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

/** More than any real chain needs (signer, intermediates, root), far fewer than a flood of decoys. */
const MAX_CERTIFICATES = 16;
/** Issuer candidates whose signature is checked per link: names and key identifiers pick them, so one is normal. */
const MAX_CANDIDATES_PER_LINK = 3;

/**
 * Walks issuer links from the signer to one of the trusted roots. Each link takes the candidates whose
 * subject and key identifier match (checkIssued, cheap) and checks the signature of at most a few, so
 * certificates named like the issuer cannot make verification spend unbounded RSA work.
 */
function chainTrusted(signer: crypto.X509Certificate, pool: crypto.X509Certificate[], roots: crypto.X509Certificate[]): boolean {
	let cur = signer;
	const used = new Set<string>([cur.fingerprint256]);
	const signedBy = (issuer: crypto.X509Certificate) => {
		try {
			return cur.verify(issuer.publicKey);
		} catch {
			return false;
		}
	};
	for (let depth = 0; depth < 8; depth++) {
		if (roots.some((r) => r.fingerprint256 === cur.fingerprint256)) return true;
		if (roots.filter((r) => cur.checkIssued(r)).slice(0, MAX_CANDIDATES_PER_LINK).some(signedBy)) return true;
		const candidates = pool.filter((p) => !used.has(p.fingerprint256) && cur.checkIssued(p)).slice(0, MAX_CANDIDATES_PER_LINK);
		const next = candidates.find(signedBy);
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

function verifyOne(buf: Uint8Array, raw: RawSignature, roots: crypto.X509Certificate[], revoked: Map<string, number>): Omit<SignatureReport, 'laterModifications'> {
	const [, b, c, d] = raw.byteRange;
	const problems: VerifyProblemCode[] = [];
	const sf = raw.dict.get(N('SubFilter'));
	const subFilter = sf instanceof PDFName ? sf.decodeText() : null;
	const isCades = subFilter === 'ETSI.CAdES.detached';
	const mText = textOf(raw.dict.get(N('M')));
	const claimedTime = mText ? (parsePdfDate(mText) ?? null) : null;
	const fieldName = raw.fieldName || null;

	const hex = raw.contentsHex;
	if (hex.length < 4 || /^0*$/.test(hex)) malformed('empty /Contents (unsigned placeholder)');
	const cmsPadded = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
	const outer = readTlv(cmsPadded, 0);
	const cmsBuf = cmsPadded.subarray(0, outer.end); // zero padding after the DER is normal
	const cms = parseCms(cmsBuf);

	if (cms.certs.length > MAX_CERTIFICATES) malformed(`${cms.certs.length} certificates in one signature`);
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

	const stamped = checkSignatureTimestamps(cmsBuf, cms, certX, roots);
	problems.push(...stamped.problems);
	// A trusted timestamp is the time the signature existed by; the signer's /M is only their claim.
	const signingTime = stamped.timestamp?.trusted ? stamped.timestamp.time : claimedTime;

	let certificate: CertificateInfo | null = null;
	let signerName = textOf(raw.dict.get(N('Name'))) ?? '';
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
		const revokedAt = revoked.get(certificate.serial);
		const provenBefore = stamped.timestamp?.trusted === true && stamped.timestamp.time.getTime() < (revokedAt ?? 0);
		if (revokedAt !== undefined && !provenBefore) problems.push('CERT_REVOKED');
	}

	return {
		fieldName,
		signerName,
		signingTime,
		claimedTime,
		timestamp: stamped.timestamp,
		subFilter,
		byteRange: raw.byteRange,
		intact: digestOk && signatureOk,
		coversWholeDocument: c + d === buf.length,
		chainTrusted: trusted,
		certificate,
		problems
	};
}

/** More signature timestamps than anyone adds to one signature (usually one): each costs a signature check. */
const MAX_TIMESTAMPS = 4;

/**
 * The signature timestamps in the SignerInfo's unsigned attributes: each must stamp this signature's value and be
 * sound (timestamp-token.ts); the earliest good one is reported. One bad token makes TIMESTAMP_INVALID even beside a
 * good one, because someone put it there; a good one from a TSA outside the trusted roots makes TIMESTAMP_UNTRUSTED.
 */
function checkSignatureTimestamps(
	cmsBuf: Uint8Array,
	cms: ParsedCms,
	certX: crypto.X509Certificate[],
	roots: crypto.X509Certificate[]
): { timestamp: SignatureReport['timestamp']; problems: VerifyProblemCode[] } {
	if (!cms.unsignedAttrs) return { timestamp: null, problems: [] };
	const tokens: Uint8Array[] = [];
	try {
		for (const attr of children(cmsBuf, cms.unsignedAttrs)) {
			const [type, values] = children(cmsBuf, expectTag(attr, TAG.SEQUENCE, 'Attribute'));
			if (oidText(cmsBuf, type) !== OID.signatureTimeStampToken) continue;
			for (const v of children(cmsBuf, expectTag(values, TAG.SET, 'AttributeValues'))) tokens.push(tlvBytes(cmsBuf, v));
		}
	} catch (e) {
		// Unsigned attributes are outside what the signer signed: garbage there spoils the timestamp, not the signature.
		if (e instanceof SigningError) return { timestamp: null, problems: ['TIMESTAMP_INVALID'] };
		throw e;
	}
	if (tokens.length === 0) return { timestamp: null, problems: [] };
	if (tokens.length > MAX_TIMESTAMPS) return { timestamp: null, problems: ['TIMESTAMP_INVALID'] };
	const checks = tokens.map((token) =>
		checkTimestampToken(token, {
			signatureValue: cms.signature,
			extraCerts: certX.map((x) => new Uint8Array(x.raw)),
			isTrusted: (tsa, pool) => chainTrusted(tsa, [...pool, ...certX], roots)
		})
	);
	const problems: VerifyProblemCode[] = [];
	if (checks.some((c) => !c.valid)) problems.push('TIMESTAMP_INVALID');
	const good = checks.filter((c) => c.valid && c.time).sort((a, b) => a.time!.getTime() - b.time!.getTime());
	const best = good.find((c) => c.trusted) ?? good[0];
	if (best && !best.trusted) problems.push('TIMESTAMP_UNTRUSTED');
	return { timestamp: best ? { time: best.time!, trusted: best.trusted } : null, problems };
}

/**
 * A document timestamp: its /Contents is an RFC 3161 token whose imprint must be the hash of the covered bytes (the
 * token check hashes what it is given, here those bytes, as it hashes a signature value for a signature timestamp).
 */
function verifyDocTimestamp(buf: Uint8Array, raw: RawSignature, roots: crypto.X509Certificate[]): DocumentTimestampReport {
	const [, b, c, d] = raw.byteRange;
	const hex = raw.contentsHex;
	if (hex.length < 4 || /^0*$/.test(hex)) malformed('empty /Contents (unsigned placeholder)');
	const padded = Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex');
	const token = padded.subarray(0, readTlv(padded, 0).end);
	const check = checkTimestampToken(token, {
		signatureValue: Buffer.concat([buf.subarray(0, b), buf.subarray(c, c + d)]),
		isTrusted: (tsa, pool) => chainTrusted(tsa, pool, roots)
	});
	const problems: VerifyProblemCode[] = [];
	if (!check.valid) problems.push('DOC_TIMESTAMP_INVALID');
	else if (!check.trusted) problems.push('DOC_TIMESTAMP_UNTRUSTED');
	return {
		fieldName: raw.fieldName || null,
		time: check.time,
		intact: check.valid,
		trusted: check.valid && check.trusted,
		byteRange: raw.byteRange,
		coversWholeDocument: c + d === buf.length,
		problems
	};
}

/** Anything unexpected while decoding hostile bytes (pdf-lib's parser included) is still a malformed file. */
function asSigningError<T>(code: 'MALFORMED_PDF' | 'MALFORMED_SIGNATURE', fn: () => T): T {
	try {
		return fn();
	} catch (e) {
		if (e instanceof SigningError) throw e;
		throw new SigningError(code, e instanceof Error ? e.message : String(e), { cause: e });
	}
}

/**
 * Reviews every update after the first signature, one signed revision to the next and the last to
 * the end of the file, so that a modification is attributed to the revision that made it.
 */
function reviewRevisions(input: Uint8Array, doc: Revision, reports: { byteRange: number[] }[]) {
	const ends = [...new Set(reports.map((r) => r.byteRange[2] + r.byteRange[3]))].sort((a, b) => a - b);
	if (ends.length === 0) return { modifications: [], certification: null };
	const revisions = ends.map((end) => ({ end, revision: end === input.length ? doc : revisionEndingAt(input, end) }));
	if (ends.at(-1) !== input.length) revisions.push({ end: input.length, revision: doc });
	const certified = certificationLevel(revisions[0].revision);
	const modifications: { revision: number; after: number; changes: Modification[] }[] = [];
	for (let j = 0; j + 1 < revisions.length; j++) {
		const changes = reviewUpdate(revisions[j].revision, revisions[j + 1].revision, certified?.level);
		if (changes.length) modifications.push({ revision: revisions[j + 1].revision.number, after: revisions[j].end, changes });
	}
	return { modifications, certification: certified?.level ?? null };
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
	const revoked = new Map([...(opts.revoked ?? [])].map((r) => [normalizeSerial(r.serial), r.revokedAt.getTime()]));
	const doc = asSigningError('MALFORMED_PDF', () => revisionEndingAt(input, input.length));
	const raws = asSigningError('MALFORMED_PDF', () => findSignatures(input, s, doc, opts.maxSignatures ?? 20));
	const byEnd = (x: { byteRange: number[] }, y: { byteRange: number[] }) => x.byteRange[2] + x.byteRange[3] - (y.byteRange[2] + y.byteRange[3]);
	const reports = raws.filter((r) => !r.docTimestamp).map((raw) => asSigningError('MALFORMED_SIGNATURE', () => verifyOne(input, raw, roots, revoked)));
	reports.sort(byEnd);
	const stamps = raws.filter((r) => r.docTimestamp).map((raw) => asSigningError('MALFORMED_SIGNATURE', () => verifyDocTimestamp(input, raw, roots)));
	stamps.sort(byEnd);
	// Document timestamps end revisions too: a change after one is attributed to the revision that made it.
	const { modifications, certification } = asSigningError('MALFORMED_PDF', () => reviewRevisions(input, doc, [...reports, ...stamps]));
	const signatures: SignatureReport[] = reports.map((r) => {
		const end = r.byteRange[2] + r.byteRange[3];
		const later = modifications.filter((m) => m.after >= end).flatMap((m) => m.changes.map((c) => ({ revision: m.revision, ...c })));
		return { ...r, problems: later.length ? [...r.problems, 'MODIFIED_AFTER_SIGNING'] : r.problems, laterModifications: later };
	});
	const documentTimestamps = stamps.map((t) => {
		const end = t.byteRange[2] + t.byteRange[3];
		const later = modifications.some((m) => m.after >= end);
		return later ? { ...t, problems: [...t.problems, 'MODIFIED_AFTER_SIGNING' as const] } : t;
	});
	return {
		signatures,
		documentTimestamps,
		modifications: modifications.map(({ revision, changes }) => ({ revision, changes })),
		certification,
		sha256: crypto.createHash('sha256').update(input).digest('hex')
	};
}
