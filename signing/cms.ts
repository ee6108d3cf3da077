/**
 * CAdES detached CMS SignedData for PAdES baseline B-B (ETSI EN 319 142-1 / EN 319 122-1), and B-T when a
 * signature timestamp token is added as an unsigned attribute.
 *
 * forge builds the ASN.1; the digest and the RSA signature come from node:crypto. Exactly three
 * signed attributes: content-type, message-digest and signing-certificate-v2. No signing-time:
 * in PAdES the claimed time is the /M entry of the signature dictionary.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { signChecked, type Signer } from './signer.js';

const { asn1 } = forge;
const { Class, Type } = asn1;

export const OID = {
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	signingTime: '1.2.840.113549.1.9.5',
	signingCertificate: '1.2.840.113549.1.9.16.2.12',
	signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
	sha256: '2.16.840.1.101.3.4.2.1',
	sha384: '2.16.840.1.101.3.4.2.2',
	sha512: '2.16.840.1.101.3.4.2.3',
	rsaEncryption: '1.2.840.113549.1.1.1',
	sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
	sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
	sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
	/** id-ct-TSTInfo: the content type of an RFC 3161 timestamp token. */
	tstInfo: '1.2.840.113549.1.9.16.1.4',
	/** id-aa-signatureTimeStampToken: the unsigned attribute that carries a signature timestamp (RFC 3161 Appendix A). */
	signatureTimeStampToken: '1.2.840.113549.1.9.16.2.14'
} as const;

// Small ASN.1 builders, shared with the timestamp authority (tsa.ts), which builds the same kind of CMS.
export const seq = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, v);
export const set = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, v);
export const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
export const int = (n: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
export const octets = (b: Uint8Array) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, Buffer.from(b).toString('binary'));
export const ctx = (tag: number, v: forge.asn1.Asn1[]) => asn1.create(Class.CONTEXT_SPECIFIC, tag, true, v);
export const der = (a: forge.asn1.Asn1) => asn1.toDer(a).getBytes(); // binary string
export const fromBinary = (s: string) => Buffer.from(s, 'binary');

/** DER sorts the members of a SET OF by their encodings (X.690 §11.6). */
export function derSortedSet(items: forge.asn1.Asn1[]): forge.asn1.Asn1[] {
	return items
		.map((a) => ({ a, d: der(a) }))
		.sort((x, y) => Buffer.compare(fromBinary(x.d), fromBinary(y.d)))
		.map((x) => x.a);
}

/** The issuer Name and serial INTEGER nodes of a certificate, reused byte for byte. */
export function issuerAndSerial(certAsn1: forge.asn1.Asn1): {
	issuer: forge.asn1.Asn1;
	serial: forge.asn1.Asn1;
} {
	const tbs = (certAsn1.value as forge.asn1.Asn1[])[0].value as forge.asn1.Asn1[];
	const hasVersion = tbs[0].tagClass === Class.CONTEXT_SPECIFIC && tbs[0].type === 0;
	const i = hasVersion ? 1 : 0;
	return { serial: tbs[i], issuer: tbs[i + 2] };
}

export interface CadesInput {
	/** SHA-256 of the bytes covered by /ByteRange. */
	digest: Uint8Array;
	/** Signs the DER of the signed attributes (signer.ts); its certificate and chain go into the CMS. */
	signer: Signer;
}

/**
 * The signed attributes, DER-sorted, encoded as a SET: this is what the RSA signature covers
 * (RFC 5652 §5.4: the [0] IMPLICIT tag is replaced by the SET tag for the digest).
 */
export function signedAttributes(digest: Uint8Array, certAsn1: forge.asn1.Asn1, certDer: Uint8Array): forge.asn1.Asn1[] {
	return derSortedSet([
		seq([oid(OID.contentType), set([oid(OID.data)])]),
		seq([oid(OID.messageDigest), set([octets(digest)])]),
		signingCertificateV2Attribute(certAsn1, certDer)
	]);
}

/** The signing-certificate-v2 attribute naming one certificate (RFC 5035), as signatures and timestamp tokens carry it. */
export function signingCertificateV2Attribute(certAsn1: forge.asn1.Asn1, certDer: Uint8Array): forge.asn1.Asn1 {
	const { issuer, serial } = issuerAndSerial(certAsn1);
	const certHash = crypto.createHash('sha256').update(certDer).digest();
	// ESSCertIDv2: hashAlgorithm is DEFAULT sha256, so DER omits it (RFC 5035 §3).
	const essCertIdV2 = seq([
		octets(certHash),
		// IssuerSerial: GeneralNames with one directoryName [4] (explicit: Name is a CHOICE).
		seq([seq([ctx(4, [issuer])]), serial])
	]);
	return seq([oid(OID.signingCertificateV2), set([seq([seq([essCertIdV2])])])]);
}

export async function buildCadesDetached(input: CadesInput): Promise<Uint8Array> {
	return (await cadesDetached(input)).assemble();
}

/**
 * The CMS with a signature timestamp (PAdES B-T): the token is requested over the SignerInfo's signature value
 * once it exists (RFC 3161 Appendix A) and added as the unsigned attribute id-aa-signatureTimeStampToken.
 */
export async function buildCadesDetachedTimestamped(input: CadesInput, timestamp: (imprint: Uint8Array) => Promise<Uint8Array>): Promise<Uint8Array> {
	const cades = await cadesDetached(input);
	const token = await timestamp(crypto.createHash('sha256').update(cades.signature).digest());
	return cades.assemble(timestampAttribute(token));
}

/** DER TLV with a short or long definite length, for splicing bytes that must not be re-encoded. */
function tlv(tag: number, body: Uint8Array): Buffer {
	const n = body.length;
	const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
	return Buffer.concat([Buffer.from([tag, ...len]), body]);
}

/**
 * unsignedAttrs [1] IMPLICIT SET OF Attribute with the one signature timestamp. Spliced as bytes: the token is signed
 * by the TSA and must stay byte for byte what it sent, which a decode and re-encode through forge does not promise.
 */
function timestampAttribute(token: Uint8Array): Buffer {
	const attr = tlv(0x30, Buffer.concat([fromBinary(der(oid(OID.signatureTimeStampToken))), tlv(0x31, token)]));
	return tlv(0xa1, attr);
}

async function cadesDetached(input: CadesInput): Promise<{ signature: Buffer; assemble: (unsignedAttrs?: Buffer) => Uint8Array }> {
	const certAsn1 = forge.pki.certificateToAsn1(input.signer.certificate);
	const certDer = fromBinary(der(certAsn1));
	const attrs = signedAttributes(input.digest, certAsn1, certDer);
	const toBeSigned = fromBinary(der(set(attrs)));
	// Whoever holds the key signs these bytes; the answer is checked against the certificate before it is used.
	const signature = await signChecked(input.signer, toBeSigned);
	const { issuer, serial } = issuerAndSerial(certAsn1);

	const sha256Alg = seq([oid(OID.sha256)]); // parameters absent (RFC 5754 §2)
	const signerInfoParts = [
		int(1), // version 1: sid is IssuerAndSerialNumber
		seq([issuer, serial]),
		sha256Alg,
		ctx(0, attrs),
		seq([oid(OID.rsaEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]),
		octets(signature)
	];
	const certs = [certAsn1, ...input.signer.chain.map((c) => forge.pki.certificateToAsn1(c))];
	const signedDataHead = [
		int(1),
		set([sha256Alg]),
		seq([oid(OID.data)]), // detached: no eContent
		ctx(0, derSortedSet(certs))
	];
	const assemble = (unsignedAttrs?: Buffer): Uint8Array => {
		if (!unsignedAttrs) {
			const signedData = seq([...signedDataHead, set([seq(signerInfoParts)])]);
			return fromBinary(der(seq([oid(OID.signedData), ctx(0, [signedData])])));
		}
		// The same structure written as bytes around the spliced attribute (see timestampAttribute).
		const signerInfo = tlv(0x30, Buffer.concat([...signerInfoParts.map((p) => fromBinary(der(p))), unsignedAttrs]));
		const signedData = tlv(0x30, Buffer.concat([...signedDataHead.map((p) => fromBinary(der(p))), tlv(0x31, signerInfo)]));
		return tlv(0x30, Buffer.concat([fromBinary(der(oid(OID.signedData))), tlv(0xa0, signedData)]));
	};
	return { signature, assemble };
}

/**
 * Room for a signature timestamp token, which is not known when the placeholder is written. Ours is about 2.8 KB
 * (TSTInfo, three signed attributes, an RSA-2048 signature, the TSA certificate and the city CA's); 8 KB also holds
 * a commercial TSA's token with a three-certificate RSA-4096 chain.
 */
export const TIMESTAMP_TOKEN_RESERVE = 8192;

/** Upper bound of the CMS size for these certificates, to size the /Contents placeholder. */
export function estimateCmsSize(certificate: forge.pki.Certificate, chain: forge.pki.Certificate[], opts: { timestamp?: boolean } = {}): number {
	const certBytes = [certificate, ...chain].reduce((n, c) => n + der(forge.pki.certificateToAsn1(c)).length, 0);
	// Signed attributes + signer info + an RSA-4096 signature fit comfortably in 2 KB.
	// A timestamp adds its token and the attribute around it (tags, lengths and the OID: under 32 bytes).
	return certBytes + 2048 + (opts.timestamp ? TIMESTAMP_TOKEN_RESERVE + 32 : 0);
}
