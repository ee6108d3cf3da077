/**
 * Reading and checking an RFC 3161 TimeStampToken (a CMS SignedData over a TSTInfo) without trusting it: the same
 * defensive DER reader as the signatures (der.ts), the signed attributes hashed exactly as they are in the token.
 *
 * A signature timestamp is good when its CMS signature over its signed attributes is correct, the message-digest
 * attribute is the hash of the TSTInfo, the content-type attribute says TSTInfo, the ESS signing-certificate names
 * the certificate that signed, that certificate has the critical extended key usage id-kp-timeStamping and was
 * valid at genTime, and the messageImprint is the hash of the signature value it stamps. Whether it is trusted is
 * the chain of the TSA's certificate, judged by the caller (verify.ts chainTrusted).
 */
import crypto from 'node:crypto';
import { OID } from './cms.js';
import { children, content, expectTag, oidText, readTlv, TAG, type Tlv, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';

const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

const HASHES: Record<string, string> = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' };
const SIG_HASHES: Record<string, string> = {
	[OID.sha256WithRSAEncryption]: 'sha256',
	[OID.sha384WithRSAEncryption]: 'sha384',
	[OID.sha512WithRSAEncryption]: 'sha512',
	'1.2.840.10045.4.3.2': 'sha256',
	'1.2.840.10045.4.3.3': 'sha384',
	'1.2.840.10045.4.3.4': 'sha512'
};

const malformed = (why: string): never => {
	throw new SigningError('MALFORMED_SIGNATURE', `timestamp token: ${why}`);
};

export interface TstInfo {
	policy: string;
	/** Node's name of the messageImprint's hash ('sha256'…), or the OID when it is not one we know. */
	hashAlgorithm: string;
	imprint: Uint8Array;
	/** Serial number, hex of the INTEGER's contents. */
	serial: string;
	genTime: Date;
	/** The nonce INTEGER's contents, or null. */
	nonce: Uint8Array | null;
}

export interface ParsedTimestampToken {
	tstInfo: TstInfo;
	/** The encapsulated TSTInfo DER, which message-digest covers. */
	tstInfoDer: Uint8Array;
	certs: Uint8Array[];
	digestAlgorithm: string;
	signedAttrs: Tlv;
	sigAlgorithm: string;
	signature: Uint8Array;
	sid: { issuer: Uint8Array; serial: Uint8Array } | { keyId: Uint8Array };
	/** The token's own bytes (the TLV as it was read), the buffer `signedAttrs` points into. */
	buf: Uint8Array;
}

/** GeneralizedTime as RFC 3161 allows it: UTC ("Z"), seconds present, an optional fraction without trailing zeros. */
function parseGeneralizedTime(s: string): Date {
	const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z$/.exec(s);
	if (!m) return malformed(`genTime ${JSON.stringify(s.slice(0, 40))}`);
	const [, y, mo, d, h, mi, sec, frac] = m;
	const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
	const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec, ms));
	if (Number.isNaN(date.getTime()) || date.getUTCMonth() !== +mo - 1 || date.getUTCDate() !== +d) malformed('genTime is not a date');
	return date;
}

function parseTstInfo(buf: Uint8Array): TstInfo {
	const top = expectTag(readTlv(buf, 0), TAG.SEQUENCE, 'TSTInfo');
	if (top.end !== buf.length) malformed('bytes after TSTInfo');
	const f = children(buf, top);
	const version = expectTag(f[0], TAG.INTEGER, 'version');
	if (content(buf, version).length !== 1 || buf[version.contentStart] !== 1) malformed('TSTInfo version must be 1');
	const policy = oidText(buf, expectTag(f[1], TAG.OID, 'policy'));
	const [alg, hashed] = children(buf, expectTag(f[2], TAG.SEQUENCE, 'messageImprint'));
	const algOid = oidText(buf, children(buf, expectTag(alg, TAG.SEQUENCE, 'hashAlgorithm'))[0]);
	const imprint = content(buf, expectTag(hashed, TAG.OCTET_STRING, 'hashedMessage'));
	const serial = Buffer.from(content(buf, expectTag(f[3], TAG.INTEGER, 'serialNumber'))).toString('hex');
	const genTime = parseGeneralizedTime(Buffer.from(content(buf, expectTag(f[4], 0x18, 'genTime'))).toString('latin1'));
	let nonce: Uint8Array | null = null;
	// accuracy (SEQUENCE) and ordering (BOOLEAN) may come first; the nonce is the only INTEGER after genTime.
	for (const t of f.slice(5)) if (t.tag === TAG.INTEGER) nonce = content(buf, t);
	return { policy, hashAlgorithm: HASHES[algOid] ?? algOid, imprint, serial, genTime, nonce };
}

/** Decodes a TimeStampToken; throws MALFORMED_SIGNATURE on anything that is not one. */
export function parseTimestampToken(token: Uint8Array): ParsedTimestampToken {
	const ci = expectTag(readTlv(token, 0), TAG.SEQUENCE, 'ContentInfo');
	const buf = token.subarray(0, ci.end);
	const [ct, wrapped] = children(buf, ci);
	if (!ct || oidText(buf, ct) !== OID.signedData) malformed('not a CMS SignedData');
	const sd = expectTag(children(buf, expectTag(wrapped, TAG.CTX0, '[0] content'))[0], TAG.SEQUENCE, 'SignedData');
	const parts = children(buf, sd);
	const encap = children(buf, expectTag(parts[2], TAG.SEQUENCE, 'EncapsulatedContentInfo'));
	if (!encap[0] || oidText(buf, encap[0]) !== OID.tstInfo) malformed('the content is not a TSTInfo');
	const tstInfoDer = content(buf, expectTag(children(buf, expectTag(encap[1], TAG.CTX0, 'eContent'))[0], TAG.OCTET_STRING, 'eContent'));
	let i = 3;
	const certs: Uint8Array[] = [];
	if (parts[i]?.tag === TAG.CTX0) {
		for (const c of children(buf, parts[i])) if (c.tag === TAG.SEQUENCE) certs.push(tlvBytes(buf, c));
		i++;
	}
	if (parts[i]?.tag === TAG.CTX1) i++;
	const signerInfos = children(buf, expectTag(parts[i], TAG.SET, 'SignerInfos'));
	if (signerInfos.length !== 1) malformed(`expected one SignerInfo, found ${signerInfos.length}`);
	const si = children(buf, expectTag(signerInfos[0], TAG.SEQUENCE, 'SignerInfo'));
	const sidTlv = si[1];
	let sid: ParsedTimestampToken['sid'];
	if (sidTlv?.tag === TAG.SEQUENCE) {
		const [issuer, serial] = children(buf, sidTlv);
		if (!issuer || !serial) malformed('bad IssuerAndSerialNumber');
		sid = { issuer: tlvBytes(buf, issuer), serial: content(buf, serial) };
	} else if (sidTlv?.tag === 0x80) sid = { keyId: content(buf, sidTlv) };
	else return malformed('bad SignerIdentifier');
	const digestAlgorithm = oidText(buf, children(buf, expectTag(si[2], TAG.SEQUENCE, 'digestAlgorithm'))[0]);
	// RFC 3161 §2.4.2: a token's SignerInfo always has signed attributes (content-type, message-digest, ESS).
	const signedAttrs = expectTag(si[3], TAG.CTX0, 'signedAttrs');
	const sigAlgorithm = oidText(buf, children(buf, expectTag(si[4], TAG.SEQUENCE, 'signatureAlgorithm'))[0]);
	const signature = content(buf, expectTag(si[5], TAG.OCTET_STRING, 'signature'));
	return { tstInfo: parseTstInfo(tstInfoDer), tstInfoDer, certs, digestAlgorithm, signedAttrs, sigAlgorithm, signature, sid, buf };
}

/** Issuer Name (whole TLV), serial (contents), SPKI key bits, and the extended key usage with its criticality. */
function certFacts(der: Uint8Array) {
	const tbs = children(der, children(der, readTlv(der, 0))[0]);
	const o = tbs[0].tag === TAG.CTX0 ? 1 : 0;
	const spki = children(der, tbs[o + 5]);
	let eku: { critical: boolean; purposes: string[] } | null = null;
	const extsWrapper = tbs.slice(o + 6).find((t) => t.tag === 0xa3);
	for (const ext of extsWrapper ? children(der, children(der, extsWrapper)[0]) : []) {
		const f = children(der, ext);
		if (oidText(der, f[0]) !== OID_EXT_KEY_USAGE) continue;
		const critical = f[1].tag === 0x01 && content(der, f[1])[0] !== 0;
		const value = f[f.length - 1];
		const list = readTlv(der, value.contentStart, value.end);
		eku = { critical, purposes: children(der, list).map((p) => oidText(der, p)) };
	}
	return {
		issuer: tlvBytes(der, tbs[o + 2]),
		serial: content(der, tbs[o]),
		publicKeyBits: content(der, spki[1]).subarray(1),
		eku
	};
}

const eq = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

export interface TimestampCheck {
	/** The token is sound and stamps this signature value (see the module comment). */
	valid: boolean;
	/** The TSA certificate chains to a trusted root (only meaningful when valid). */
	trusted: boolean;
	/** genTime, when the token could be read. */
	time: Date | null;
	/** Why it is not valid, for logs and tests. */
	reason?: string;
}

/**
 * Checks a signature timestamp token against the signature value it should stamp. `extraCerts` are other
 * certificates that may help to find the TSA certificate or its chain (the signature's own); `isTrusted` judges
 * the TSA certificate's chain. Never throws on a bad token: a token that cannot be read is not valid.
 */
export function checkTimestampToken(
	token: Uint8Array,
	opts: {
		signatureValue: Uint8Array;
		extraCerts?: Uint8Array[];
		isTrusted: (tsa: crypto.X509Certificate, pool: crypto.X509Certificate[]) => boolean;
	}
): TimestampCheck {
	let t: ParsedTimestampToken;
	try {
		t = parseTimestampToken(token);
	} catch (e) {
		return { valid: false, trusted: false, time: null, reason: e instanceof Error ? e.message : String(e) };
	}
	const time = t.tstInfo.genTime;
	const fail = (reason: string): TimestampCheck => ({ valid: false, trusted: false, time, reason });
	try {
		const all = [...t.certs, ...(opts.extraCerts ?? [])].slice(0, 32);
		const tsaDer = all.find((c) => {
			const f = certFacts(c);
			if ('keyId' in t.sid) return eq(crypto.createHash('sha1').update(f.publicKeyBits).digest(), t.sid.keyId);
			return eq(f.issuer, t.sid.issuer) && eq(f.serial, t.sid.serial);
		});
		if (!tsaDer) return fail('the TSA certificate is not in the token');
		const facts = certFacts(tsaDer);
		if (!facts.eku?.critical || facts.eku.purposes.length !== 1 || facts.eku.purposes[0] !== OID_TIME_STAMPING)
			return fail('the certificate is not a TSA certificate (critical id-kp-timeStamping only)');

		// The token stamps this signature: the imprint is the hash of the signature value (RFC 3161 Appendix A).
		const imprintHash = t.tstInfo.hashAlgorithm;
		if (!Object.values(HASHES).includes(imprintHash)) return fail(`unsupported imprint hash ${imprintHash}`);
		if (!eq(crypto.createHash(imprintHash).update(opts.signatureValue).digest(), t.tstInfo.imprint)) return fail('the imprint is not of this signature');

		const digestName = HASHES[t.digestAlgorithm];
		if (!digestName) return fail('unsupported digest algorithm');
		let digestOk = false;
		let contentTypeOk = false;
		let essOk = false;
		for (const attr of children(t.buf, t.signedAttrs)) {
			const [type, values] = children(t.buf, expectTag(attr, TAG.SEQUENCE, 'Attribute'));
			const o = oidText(t.buf, type);
			const v = children(t.buf, expectTag(values, TAG.SET, 'AttributeValues'))[0];
			if (o === OID.messageDigest) digestOk = eq(content(t.buf, expectTag(v, TAG.OCTET_STRING, 'messageDigest')), crypto.createHash(digestName).update(t.tstInfoDer).digest());
			else if (o === OID.contentType) contentTypeOk = oidText(t.buf, v) === OID.tstInfo;
			else if (o === OID.signingCertificateV2 || o === OID.signingCertificate) {
				const v2 = o === OID.signingCertificateV2;
				const first = children(t.buf, children(t.buf, expectTag(children(t.buf, expectTag(v, TAG.SEQUENCE, 'SigningCertificate'))[0], TAG.SEQUENCE, 'certs'))[0]);
				const withAlg = v2 && first[0]?.tag === TAG.SEQUENCE;
				const alg = withAlg ? HASHES[oidText(t.buf, children(t.buf, first[0])[0])] : v2 ? 'sha256' : 'sha1';
				const hash = content(t.buf, expectTag(first[withAlg ? 1 : 0], TAG.OCTET_STRING, 'certHash'));
				essOk = !!alg && eq(crypto.createHash(alg).update(tsaDer).digest(), hash);
			}
		}
		if (!contentTypeOk) return fail('content-type is not TSTInfo');
		if (!digestOk) return fail('message-digest does not match the TSTInfo');
		if (!essOk) return fail('the signing-certificate attribute does not name the TSA certificate');

		const x = new crypto.X509Certificate(Buffer.from(tsaDer));
		const key = x.publicKey;
		const isRsa = t.sigAlgorithm === OID.rsaEncryption;
		const sigHash = isRsa ? digestName : SIG_HASHES[t.sigAlgorithm];
		if (!sigHash) return fail('unsupported signature algorithm');
		// The signature covers the attributes with their SET tag, not the [0] of SignerInfo (RFC 5652 §5.4).
		const signed = Buffer.from(tlvBytes(t.buf, t.signedAttrs));
		signed[0] = TAG.SET;
		let sigOk = false;
		try {
			sigOk = crypto.verify(sigHash, signed, key, t.signature);
		} catch {
			sigOk = false;
		}
		if (!sigOk) return fail('the TSA signature is invalid');
		if (time < new Date(x.validFrom) || time > new Date(x.validTo)) return fail('the TSA certificate was not valid at genTime');

		const pool = all.map((c) => new crypto.X509Certificate(Buffer.from(c)));
		return { valid: true, trusted: opts.isTrusted(x, pool), time };
	} catch (e) {
		return fail(e instanceof Error ? e.message : String(e));
	}
}
