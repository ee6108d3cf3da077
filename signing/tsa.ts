/**
 * An RFC 3161 timestamp authority (TSA) and its client, for PAdES B-T signature timestamps.
 *
 * The TSA's certificate is issued under one of our CAs with the single extended key usage id-kp-timeStamping,
 * marked critical as RFC 3161 §2.3 requires (OpenSSL and pyHanko refuse a TSA certificate without it). A request
 * (TimeStampReq, DER) is answered with a TimeStampResp (DER) whose token is a CMS SignedData over a TSTInfo, built
 * with forge's ASN.1 like the signatures' CMS (cms.ts) and signed with node:crypto.
 *
 * Policy: TSA_POLICY_OID. The TSA stamps the time of its own clock (UTC, millisecond precision, no accuracy claimed),
 * answers every well-formed SHA-2 request, never orders tokens, and keeps no copy of what it stamps.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { ctx, der, derSortedSet, fromBinary, int, issuerAndSerial, octets, OID, oid, seq, set, signingCertificateV2Attribute } from './cms.js';
import { children, content, expectTag, oidText, readTlv, TAG, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';
import { crlDistributionPoint, type CertificateAuthority } from './pki.js';
import { parseTimestampToken } from './timestamp-token.js';

const { pki, asn1 } = forge;
const { Class, Type } = asn1;

/** id-kp-timeStamping (RFC 5280 §4.2.1.12). */
export const OID_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/**
 * The policy under which the city's TSA issues tokens (TSTInfo.policy). Under the private-enterprise arc: 32473 is
 * the enterprise number IANA reserves for documentation (RFC 5612) and stands in for the city's own number until
 * it registers one; below it, 704 is Viet Nam (ISO 3166 numeric), .1 the TSA, .1 version 1 of its policy. (A
 * 2.25 UUID arc would need no registration, but its 128-bit arc does not fit forge's or der.ts's OID codecs.)
 */
export const TSA_POLICY_OID = '1.3.6.1.4.1.32473.704.1.1';

/** A TSA identity: its key, its certificate (id-kp-timeStamping) and the chain up to the root. */
export interface TimestampAuthority {
	privateKey: crypto.KeyObject;
	certificate: forge.pki.Certificate;
	chain: forge.pki.Certificate[];
}

export interface TsaCertificateOptions {
	commonName: string;
	organization: string;
	validFrom: Date;
	validTo: Date;
	/** Where the issuing CA publishes its CRL (see pki.ts crlDistributionPoint). */
	crlUrl?: string;
}

const HASH_BY_OID: Record<string, { name: string; length: number }> = {
	[OID.sha256]: { name: 'sha256', length: 32 },
	[OID.sha384]: { name: 'sha384', length: 48 },
	[OID.sha512]: { name: 'sha512', length: 64 }
};

// ---------------------------------------------------------------------------------------------
// The TSA certificate (pki.ts keeps its certificate helpers private; these are the same few steps)

function utf8Name(parts: { commonName: string; organization: string }): forge.pki.CertificateField[] {
	// forge encodes values tagged UTF8String itself; Vietnamese names would be mangled as PrintableString.
	const utf8 = (f: { shortName: string; value: string }) => ({ ...f, value: f.value.normalize('NFC'), valueTagClass: Type.UTF8 }) as unknown as forge.pki.CertificateField;
	return [{ shortName: 'C', value: 'VN' }, utf8({ shortName: 'O', value: parts.organization }), utf8({ shortName: 'CN', value: parts.commonName })];
}

/** The CA's subject for the issuer field: forge hands back UTF8String values undecoded and would encode them twice. */
function issuerName(ca: forge.pki.Certificate): forge.pki.CertificateField[] {
	return ca.subject.attributes.map((a) => {
		if (typeof a.value !== 'string' || (a.valueTagClass as unknown) !== Type.UTF8) return a;
		try {
			return { ...a, value: forge.util.decodeUtf8(a.value) };
		} catch {
			return a;
		}
	});
}

/**
 * Issues a TSA certificate under `ca` with a fresh RSA-2048 key: digitalSignature + nonRepudiation, and
 * id-kp-timeStamping as the only, critical, extended key usage.
 */
export function issueTsaCertificate(ca: CertificateAuthority, opts: TsaCertificateOptions): TimestampAuthority {
	if (!(opts.validFrom < opts.validTo)) throw new SigningError('CERT_UNSUITABLE', 'validFrom must be before validTo');
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 0x10001 });
	const cert = pki.createCertificate();
	cert.publicKey = pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
	const serial = crypto.randomBytes(16);
	serial[0] = (serial[0] & 0x7f) | 0x10; // positive, and minimally encoded
	cert.serialNumber = serial.toString('hex');
	cert.validity.notBefore = opts.validFrom;
	cert.validity.notAfter = opts.validTo;
	cert.setSubject(utf8Name(opts));
	cert.setIssuer(issuerName(ca.certificate));
	cert.setExtensions([
		{ name: 'basicConstraints', cA: false, critical: true },
		{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
		{ name: 'extKeyUsage', timeStamping: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
		{ name: 'authorityKeyIdentifier', keyIdentifier: ca.certificate.generateSubjectKeyIdentifier().getBytes() },
		...(opts.crlUrl ? [crlDistributionPoint(opts.crlUrl)] : [])
	]);
	// forge's cert.sign would do the RSA in JavaScript; the same steps with node:crypto's signature.
	const c = cert as forge.pki.Certificate & { tbsCertificate: forge.asn1.Asn1; signatureOid: string };
	c.signatureOid = c.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption;
	c.tbsCertificate = (pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
	c.signature = crypto.sign('sha256', fromBinary(der(c.tbsCertificate)), ca.privateKey).toString('binary');
	// Handed out parsed, as pki.ts does, so that every certificate object behaves the same.
	const parsed = pki.certificateFromAsn1(asn1.fromDer(der(pki.certificateToAsn1(cert))));
	return { privateKey, certificate: parsed, chain: [ca.certificate] };
}

// ---------------------------------------------------------------------------------------------
// Requests

/** An INTEGER from unsigned big-endian bytes (minimal: leading zeros dropped, a 0x00 added before a high bit). */
function unsignedInteger(b: Uint8Array): forge.asn1.Asn1 {
	let i = 0;
	while (i < b.length - 1 && b[i] === 0) i++;
	const body = Buffer.from(b.subarray(i));
	const v = body[0] & 0x80 ? Buffer.concat([Buffer.from([0]), body]) : body;
	return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, v.toString('binary'));
}

/** A TimeStampReq (DER) for a SHA-256 imprint, as `openssl ts -query -sha256 [-cert]` writes it. */
export function createTimestampRequest(imprint: Uint8Array, opts: { nonce?: Uint8Array; certReq?: boolean } = {}): Uint8Array {
	if (imprint.length !== 32) throw new SigningError('INVALID_DOCUMENT', 'a SHA-256 imprint is 32 bytes');
	const parts = [int(1), seq([seq([oid(OID.sha256), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]), octets(imprint)])];
	if (opts.nonce) parts.push(unsignedInteger(opts.nonce));
	if (opts.certReq) parts.push(asn1.create(Class.UNIVERSAL, Type.BOOLEAN, false, '\xff'));
	return fromBinary(der(seq(parts)));
}

interface ParsedRequest {
	/** The request's MessageImprint, whole, to be copied into TSTInfo. */
	messageImprint: Uint8Array;
	nonce: Uint8Array | null;
	certReq: boolean;
}

/** PKIFailureInfo bits (RFC 3161 §2.4.2) used here. */
const FAIL = { badAlg: 0, badRequest: 2, badDataFormat: 5, unacceptedPolicy: 15, unacceptedExtension: 16 } as const;

class Refusal extends Error {
	constructor(
		readonly bit: number,
		readonly text: string
	) {
		super(text);
	}
}

function parseRequest(req: Uint8Array): ParsedRequest {
	let top;
	try {
		top = expectTag(readTlv(req, 0), TAG.SEQUENCE, 'TimeStampReq');
	} catch {
		throw new Refusal(FAIL.badDataFormat, 'not a DER TimeStampReq');
	}
	if (top.end !== req.length) throw new Refusal(FAIL.badDataFormat, 'bytes after the TimeStampReq');
	const f = (() => {
		try {
			return children(req, top);
		} catch {
			throw new Refusal(FAIL.badDataFormat, 'not a DER TimeStampReq');
		}
	})();
	const version = f[0];
	if (version?.tag !== TAG.INTEGER || content(req, version).length !== 1 || req[version.contentStart] !== 1) throw new Refusal(FAIL.badRequest, 'version must be 1');
	const mi = f[1];
	if (mi?.tag !== TAG.SEQUENCE) throw new Refusal(FAIL.badDataFormat, 'no messageImprint');
	let alg: string;
	let hashed: Uint8Array;
	try {
		const [algId, hashTlv] = children(req, mi);
		alg = oidText(req, children(req, expectTag(algId, TAG.SEQUENCE, 'hashAlgorithm'))[0]);
		hashed = content(req, expectTag(hashTlv, TAG.OCTET_STRING, 'hashedMessage'));
	} catch {
		throw new Refusal(FAIL.badDataFormat, 'malformed messageImprint');
	}
	const hash = HASH_BY_OID[alg];
	if (!hash) throw new Refusal(FAIL.badAlg, `unsupported hash algorithm ${alg}`);
	if (hashed.length !== hash.length) throw new Refusal(FAIL.badDataFormat, `a ${hash.name} imprint is ${hash.length} bytes`);
	let nonce: Uint8Array | null = null;
	let certReq = false;
	for (const t of f.slice(2)) {
		if (t.tag === TAG.OID) {
			if (oidText(req, t) !== TSA_POLICY_OID) throw new Refusal(FAIL.unacceptedPolicy, 'this TSA has one policy');
		} else if (t.tag === TAG.INTEGER) {
			nonce = content(req, t);
			if (nonce.length === 0 || nonce.length > 64) throw new Refusal(FAIL.badDataFormat, 'nonce length');
		} else if (t.tag === 0x01) certReq = content(req, t)[0] !== 0;
		else if (t.tag === TAG.CTX0) throw new Refusal(FAIL.unacceptedExtension, 'no request extension is supported');
		else throw new Refusal(FAIL.badDataFormat, 'unexpected field');
	}
	return { messageImprint: tlvBytes(req, mi), nonce, certReq };
}

// ---------------------------------------------------------------------------------------------
// Responses

/** GeneralizedTime in UTC with the milliseconds, trailing zeros dropped as DER requires (X.690 §11.7). */
function generalizedTime(d: Date): string {
	const iso = d.toISOString(); // 2026-05-04T03:05:06.789Z
	const whole = iso.slice(0, 19).replace(/[-:T]/g, '');
	const ms = iso.slice(20, 23).replace(/0+$/, '');
	return `${whole}${ms ? `.${ms}` : ''}Z`;
}

function statusOnly(status: number, text: string, failBit: number): Uint8Array {
	// failInfo is a named BIT STRING: DER drops trailing zero bits, so it ends at the one bit set.
	const bits = new Uint8Array(Math.floor(failBit / 8) + 1);
	bits[bits.length - 1] = 0x80 >> failBit % 8;
	const bitString = asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, String.fromCharCode(7 - (failBit % 8)) + Buffer.from(bits).toString('binary'));
	const freeText = seq([asn1.create(Class.UNIVERSAL, Type.UTF8, false, forge.util.encodeUtf8(text))]);
	return fromBinary(der(seq([seq([int(status), freeText, bitString])])));
}

/**
 * Answers a TimeStampReq (DER) with a TimeStampResp (DER). A well-formed request is granted: a token over a TSTInfo
 * (version 1, TSA_POLICY_OID, the request's messageImprint, a random 128-bit serial, genTime = `now`, the nonce if
 * the request had one), with the TSA certificate and its chain when the request asks for them (certReq). Anything
 * else is a "rejection" with the failure bit RFC 3161 names for it; this function does not throw on bad input.
 */
export function respondToTimestampRequest(tsa: TimestampAuthority, request: Uint8Array, opts: { now?: Date } = {}): Uint8Array {
	let parsed: ParsedRequest;
	try {
		parsed = parseRequest(request);
	} catch (e) {
		if (e instanceof Refusal) return statusOnly(2, e.text, e.bit);
		return statusOnly(2, 'malformed request', FAIL.badDataFormat);
	}
	const serial = crypto.randomBytes(16);
	const tstInfo = seq([
		int(1),
		oid(TSA_POLICY_OID),
		asn1.fromDer(Buffer.from(parsed.messageImprint).toString('binary')),
		unsignedInteger(serial),
		asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, generalizedTime(opts.now ?? new Date())),
		...(parsed.nonce ? [asn1.create(Class.UNIVERSAL, Type.INTEGER, false, Buffer.from(parsed.nonce).toString('binary'))] : [])
	]);
	const tstDer = fromBinary(der(tstInfo));

	const certAsn1 = pki.certificateToAsn1(tsa.certificate);
	const certDer = fromBinary(der(certAsn1));
	const attrs = derSortedSet([
		seq([oid(OID.contentType), set([oid(OID.tstInfo)])]),
		seq([oid(OID.messageDigest), set([octets(crypto.createHash('sha256').update(tstDer).digest())])]),
		signingCertificateV2Attribute(certAsn1, certDer)
	]);
	const signature = crypto.sign('sha256', fromBinary(der(set(attrs))), tsa.privateKey);
	const ec = tsa.privateKey.asymmetricKeyType === 'ec';
	const sigAlg = ec ? seq([oid('1.2.840.10045.4.3.2')]) : seq([oid(OID.rsaEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]);
	const { issuer, serial: certSerial } = issuerAndSerial(certAsn1);
	const sha256Alg = seq([oid(OID.sha256)]);
	const signerInfo = seq([int(1), seq([issuer, certSerial]), sha256Alg, ctx(0, attrs), sigAlg, octets(signature)]);
	const certs = [certAsn1, ...tsa.chain.map((c) => pki.certificateToAsn1(c))];
	const signedData = seq([
		int(3), // RFC 5652 §5.1: version 3 because eContentType is not id-data
		set([sha256Alg]),
		seq([oid(OID.tstInfo), ctx(0, [octets(tstDer)])]),
		...(parsed.certReq ? [ctx(0, derSortedSet(certs))] : []),
		set([signerInfo])
	]);
	const token = seq([oid(OID.signedData), ctx(0, [signedData])]);
	return fromBinary(der(seq([seq([int(0)]), token]))); // status 0: granted
}

// ---------------------------------------------------------------------------------------------
// The client side

/** The PKIStatus of a TimeStampResp and its token's bytes (exactly as received), or null when there is none. */
export function readTimestampResponse(resp: Uint8Array): { status: number; token: Uint8Array | null } {
	const top = expectTag(readTlv(resp, 0), TAG.SEQUENCE, 'TimeStampResp');
	const [statusInfo, token] = children(resp, top);
	const status = content(resp, expectTag(children(resp, expectTag(statusInfo, TAG.SEQUENCE, 'PKIStatusInfo'))[0], TAG.INTEGER, 'PKIStatus'));
	return { status: status.length === 1 ? status[0] : -1, token: token ? tlvBytes(resp, expectTag(token, TAG.SEQUENCE, 'TimeStampToken')) : null };
}

/**
 * Gets a signature timestamp token for `imprint` (SHA-256) through `send` (an HTTP POST of
 * application/timestamp-query, or the in-process TSA): asks for the TSA's certificates (pyHanko and Acrobat need
 * them to validate) and a fresh nonce, and checks that the token answers this request before handing it back.
 */
export async function requestTimestamp(imprint: Uint8Array, send: (request: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
	const nonce = crypto.randomBytes(8);
	const response = await send(createTimestampRequest(imprint, { nonce, certReq: true }));
	let read: ReturnType<typeof readTimestampResponse>;
	try {
		read = readTimestampResponse(response);
	} catch (e) {
		throw new SigningError('TIMESTAMP_FAILED', 'the TSA answered something that is not a TimeStampResp', { cause: e });
	}
	// 0 granted, 1 grantedWithMods; anything else carries no token.
	if (!(read.status === 0 || read.status === 1) || !read.token) throw new SigningError('TIMESTAMP_FAILED', `the TSA refused (status ${read.status})`);
	const tst = parseTimestampToken(read.token).tstInfo;
	if (tst.hashAlgorithm !== 'sha256' || !Buffer.from(tst.imprint).equals(Buffer.from(imprint)))
		throw new SigningError('TIMESTAMP_FAILED', 'the token is for another imprint');
	if (!tst.nonce || !Buffer.from(unsignedBytes(tst.nonce)).equals(Buffer.from(unsignedBytes(nonce)))) throw new SigningError('TIMESTAMP_FAILED', 'the nonce differs');
	return read.token;
}

/** An INTEGER's magnitude without leading zero octets, to compare nonces however they were encoded. */
function unsignedBytes(b: Uint8Array): Uint8Array {
	let i = 0;
	while (i < b.length - 1 && b[i] === 0) i++;
	return b.subarray(i);
}

/** A `timestamp` option for signPdf that asks an in-process TSA, through the same code as its HTTP endpoint. */
export function localTimestamper(tsa: TimestampAuthority | (() => TimestampAuthority | Promise<TimestampAuthority>)) {
	return (imprint: Uint8Array) =>
		requestTimestamp(imprint, async (req) => respondToTimestampRequest(typeof tsa === 'function' ? await tsa() : tsa, req));
}
