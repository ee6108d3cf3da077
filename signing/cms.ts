/**
 * CAdES detached CMS SignedData for PAdES baseline B-B (ETSI EN 319 142-1 / EN 319 122-1).
 *
 * forge builds the ASN.1; the digest and the RSA signature come from node:crypto. Exactly three
 * signed attributes: content-type, message-digest and signing-certificate-v2. No signing-time:
 * in PAdES the claimed time is the /M entry of the signature dictionary.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';

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
	sha512WithRSAEncryption: '1.2.840.113549.1.1.13'
} as const;

const seq = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, v);
const set = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, v);
const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
const int = (n: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
const octets = (b: Uint8Array) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, Buffer.from(b).toString('binary'));
const ctx = (tag: number, v: forge.asn1.Asn1[]) => asn1.create(Class.CONTEXT_SPECIFIC, tag, true, v);
const der = (a: forge.asn1.Asn1) => asn1.toDer(a).getBytes(); // binary string
const fromBinary = (s: string) => Buffer.from(s, 'binary');

/** DER sorts the members of a SET OF by their encodings (X.690 §11.6). */
function derSortedSet(items: forge.asn1.Asn1[]): forge.asn1.Asn1[] {
	return items
		.map((a) => ({ a, d: der(a) }))
		.sort((x, y) => Buffer.compare(fromBinary(x.d), fromBinary(y.d)))
		.map((x) => x.a);
}

/** The issuer Name and serial INTEGER nodes of a certificate, reused byte for byte. */
function issuerAndSerial(certAsn1: forge.asn1.Asn1): {
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
	certificate: forge.pki.Certificate;
	chain: forge.pki.Certificate[];
	privateKey: crypto.KeyObject;
}

/**
 * The signed attributes, DER-sorted, encoded as a SET: this is what the RSA signature covers
 * (RFC 5652 §5.4: the [0] IMPLICIT tag is replaced by the SET tag for the digest).
 */
export function signedAttributes(digest: Uint8Array, certAsn1: forge.asn1.Asn1, certDer: Uint8Array): forge.asn1.Asn1[] {
	const { issuer, serial } = issuerAndSerial(certAsn1);
	const certHash = crypto.createHash('sha256').update(certDer).digest();
	// ESSCertIDv2: hashAlgorithm is DEFAULT sha256, so DER omits it (RFC 5035 §3).
	const essCertIdV2 = seq([
		octets(certHash),
		// IssuerSerial: GeneralNames with one directoryName [4] (explicit: Name is a CHOICE).
		seq([seq([ctx(4, [issuer])]), serial])
	]);
	return derSortedSet([
		seq([oid(OID.contentType), set([oid(OID.data)])]),
		seq([oid(OID.messageDigest), set([octets(digest)])]),
		seq([oid(OID.signingCertificateV2), set([seq([seq([essCertIdV2])])])])
	]);
}

export function buildCadesDetached(input: CadesInput): Uint8Array {
	const certAsn1 = forge.pki.certificateToAsn1(input.certificate);
	const certDer = fromBinary(der(certAsn1));
	const attrs = signedAttributes(input.digest, certAsn1, certDer);
	const toBeSigned = fromBinary(der(set(attrs)));
	const signature = crypto.sign('sha256', toBeSigned, input.privateKey);
	const { issuer, serial } = issuerAndSerial(certAsn1);

	const sha256Alg = seq([oid(OID.sha256)]); // parameters absent (RFC 5754 §2)
	const signerInfo = seq([
		int(1), // version 1: sid is IssuerAndSerialNumber
		seq([issuer, serial]),
		sha256Alg,
		ctx(0, attrs),
		seq([oid(OID.rsaEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]),
		octets(signature)
	]);
	const certs = [certAsn1, ...input.chain.map((c) => forge.pki.certificateToAsn1(c))];
	const signedData = seq([
		int(1),
		set([sha256Alg]),
		seq([oid(OID.data)]), // detached: no eContent
		ctx(0, derSortedSet(certs)),
		set([signerInfo])
	]);
	return fromBinary(der(seq([oid(OID.signedData), ctx(0, [signedData])])));
}

/** Upper bound of the CMS size for these certificates, to size the /Contents placeholder. */
export function estimateCmsSize(certificate: forge.pki.Certificate, chain: forge.pki.Certificate[]): number {
	const certBytes = [certificate, ...chain].reduce((n, c) => n + der(forge.pki.certificateToAsn1(c)).length, 0);
	// Signed attributes + signer info + an RSA-4096 signature fit comfortably in 2 KB.
	return certBytes + 2048;
}
