/**
 * A small certificate authority for the councils (PKCS#12 files: pkcs12.ts; stored keys: key-store.ts).
 *
 * node-forge builds and parses the X.509/PKCS#12 structures; node:crypto does the heavy maths
 * (key generation and RSA signatures), because forge's pure-JS RSA is about 100× slower.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';

const { pki, asn1 } = forge;

/** Key usage OIDs that Adobe, NSS (pdfsig) and OpenSSL accept for document signatures. */
export const OID_DOCUMENT_SIGNING = '1.3.6.1.5.5.7.3.36'; // id-kp-documentSigning (RFC 9336)
export const OID_MS_DOCUMENT_SIGNING = '1.3.6.1.4.1.311.10.3.12'; // understood by Adobe/Windows
const OID_TITLE = '2.5.4.12';

export interface CertificateAuthority {
	certificate: forge.pki.Certificate;
	privateKey: crypto.KeyObject;
}

/** A signer's key plus its certificate and the chain up to (and including) the root. */
export interface SigningIdentity {
	privateKey: crypto.KeyObject;
	certificate: forge.pki.Certificate;
	chain: forge.pki.Certificate[];
}

export interface RootCaOptions {
	commonName: string;
	organization: string;
	validYears: number;
	/** Defaults to now. */
	validFrom?: Date;
}

export interface PersonCertificateOptions {
	commonName: string;
	title?: string;
	organization: string;
	validFrom: Date;
	validTo: Date;
	email?: string;
	/** Where the issuing CA publishes its CRL (PAdES B-LT: validators fetch it to check revocation). */
	crlUrl?: string;
}

/**
 * Vietnamese names need UTF8String; forge's default PrintableString would mangle them. forge
 * UTF-8-encodes values tagged UTF8 itself (and decodes them on parsing), so pass JS strings.
 */
function nameAttrs(parts: { commonName: string; organization: string; title?: string }): forge.pki.CertificateField[] {
	const utf8 = (value: string) => value.normalize('NFC');
	// @types/node-forge types valueTagClass as a Class, but forge reads it as the universal Type.
	const field = (f: { shortName?: string; type?: string; value: string }) =>
		({
			...f,
			valueTagClass: asn1.Type.UTF8
		}) as unknown as forge.pki.CertificateField;
	const attrs: forge.pki.CertificateField[] = [{ shortName: 'C', value: 'VN' }];
	attrs.push(field({ shortName: 'O', value: utf8(parts.organization) }));
	if (parts.title) attrs.push(field({ type: OID_TITLE, value: utf8(parts.title) }));
	attrs.push(field({ shortName: 'CN', value: utf8(parts.commonName) }));
	return attrs;
}

/** Positive random 128-bit serial (RFC 5280 allows up to 20 octets; the top bit must be 0). */
function randomSerial(): string {
	const b = crypto.randomBytes(16);
	b[0] = (b[0] & 0x7f) | 0x10;
	return b.toString('hex');
}

/** An RSA-2048 key: node's for signing, forge's public half for the certificate. */
export interface RsaKeyPair {
	nodeKey: crypto.KeyObject;
	forgePublic: forge.pki.rsa.PublicKey;
}

const RSA_OPTIONS = { modulusLength: 2048, publicExponent: 0x10001 } as const;

function rsaKeyPair(privateKey: crypto.KeyObject, publicKey: crypto.KeyObject): RsaKeyPair {
	const forgePublic = pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
	return { nodeKey: privateKey, forgePublic };
}

function generateRsaKeyPair(): RsaKeyPair {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', RSA_OPTIONS);
	return rsaKeyPair(privateKey, publicKey);
}

/**
 * The same key made on libuv's thread pool: a server that makes one on first use (a council's CA at its first
 * signed chain head, a chair's certificate at their first signature) must not stall its event loop for the ~0.2 s
 * a key takes — at a city-wide vote's close, for every ward at once.
 */
export async function generateRsaKeyPairAsync(): Promise<RsaKeyPair> {
	const { privateKey, publicKey } = await new Promise<{ privateKey: crypto.KeyObject; publicKey: crypto.KeyObject }>((resolve, reject) =>
		crypto.generateKeyPair('rsa', RSA_OPTIONS, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ privateKey, publicKey })))
	);
	return rsaKeyPair(privateKey, publicKey);
}

/** Same steps as forge's `cert.sign`, but the RSA signature comes from node:crypto. */
function signCertificate(cert: forge.pki.Certificate, key: crypto.KeyObject): void {
	const c = cert as forge.pki.Certificate & {
		tbsCertificate: forge.asn1.Asn1;
		signatureOid: string;
	};
	c.signatureOid = c.siginfo.algorithmOid = pki.oids.sha256WithRSAEncryption;
	// getTBSCertificate exists in forge but is missing from @types/node-forge.
	c.tbsCertificate = (
		pki as unknown as {
			getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1;
		}
	).getTBSCertificate(cert);
	const tbs = Buffer.from(asn1.toDer(c.tbsCertificate).getBytes(), 'binary');
	c.signature = crypto.sign('sha256', tbs, key).toString('binary');
}

export function createRootCa(opts: RootCaOptions, key: RsaKeyPair = generateRsaKeyPair()): CertificateAuthority {
	const { nodeKey, forgePublic } = key;
	const cert = pki.createCertificate();
	cert.publicKey = forgePublic;
	cert.serialNumber = randomSerial();
	const from = opts.validFrom ?? new Date();
	cert.validity.notBefore = from;
	const to = new Date(from);
	to.setUTCFullYear(to.getUTCFullYear() + opts.validYears);
	cert.validity.notAfter = to;
	const name = nameAttrs({
		commonName: opts.commonName,
		organization: opts.organization
	});
	cert.setSubject(name);
	cert.setIssuer(name);
	cert.setExtensions([
		{ name: 'basicConstraints', cA: true, critical: true },
		{ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
		{ name: 'subjectKeyIdentifier' },
		{ name: 'authorityKeyIdentifier', keyIdentifier: true }
	]);
	signCertificate(cert, nodeKey);
	return { certificate: reparse(cert), privateKey: nodeKey };
}

/** Issues a signing certificate (for a person, or for the council's own seal) with a fresh key. */
export function issuePersonCertificate(ca: CertificateAuthority, opts: PersonCertificateOptions, key: RsaKeyPair = generateRsaKeyPair()): SigningIdentity {
	const { nodeKey, forgePublic } = key;
	return { privateKey: nodeKey, certificate: signingCertificate(ca, forgePublic, opts), chain: [ca.certificate] };
}

/**
 * Issues a signing certificate for a key the server does not hold: a PKCS#11 token's (signer-pkcs11.ts), given as
 * its SubjectPublicKeyInfo DER. RSA of at least 2048 bits, as every signer here signs sha256WithRSAEncryption.
 */
export function issueCertificateForKey(ca: CertificateAuthority, spki: Uint8Array, opts: PersonCertificateOptions): { certificate: forge.pki.Certificate; chain: forge.pki.Certificate[] } {
	let key: crypto.KeyObject;
	try {
		key = crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
	} catch (err) {
		throw new SigningError('UNSUPPORTED_KEY', 'not a SubjectPublicKeyInfo', { cause: err });
	}
	if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new SigningError('UNSUPPORTED_KEY', 'an RSA key of at least 2048 bits is required');
	const forgePublic = pki.publicKeyFromPem(key.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
	return { certificate: signingCertificate(ca, forgePublic, opts), chain: [ca.certificate] };
}

function signingCertificate(ca: CertificateAuthority, forgePublic: forge.pki.rsa.PublicKey, opts: PersonCertificateOptions): forge.pki.Certificate {
	if (!(opts.validFrom < opts.validTo)) throw new SigningError('CERT_UNSUITABLE', 'validFrom must be before validTo');
	const cert = pki.createCertificate();
	cert.publicKey = forgePublic;
	cert.serialNumber = randomSerial();
	cert.validity.notBefore = opts.validFrom;
	cert.validity.notAfter = opts.validTo;
	cert.setSubject(nameAttrs(opts));
	// Decoded values, because forge re-encodes UTF8String values when writing the issuer.
	cert.setIssuer(ca.certificate.subject.attributes.map((a) => ({ ...a, value: dnValue(a) })));
	const caSki = ca.certificate.generateSubjectKeyIdentifier().getBytes();
	const ext: Record<string, unknown>[] = [
		{ name: 'basicConstraints', cA: false, critical: true },
		// Signatures on resolutions must be non-repudiable: both bits, as Decree 130/2018 profiles do.
		{
			name: 'keyUsage',
			digitalSignature: true,
			nonRepudiation: true,
			critical: true
		},
		// emailProtection is what NSS (pdfsig) and Acrobat check for signers; documentSigning
		// states the intent for newer validators.
		{
			name: 'extKeyUsage',
			emailProtection: true,
			[OID_DOCUMENT_SIGNING]: true,
			[OID_MS_DOCUMENT_SIGNING]: true
		},
		{ name: 'subjectKeyIdentifier' },
		{ name: 'authorityKeyIdentifier', keyIdentifier: caSki }
	];
	if (opts.crlUrl) ext.push(crlDistributionPoint(opts.crlUrl));
	if (opts.email)
		ext.push({
			name: 'subjectAltName',
			altNames: [{ type: 1, value: opts.email }]
		});
	cert.setExtensions(ext);
	signCertificate(cert, ca.privateKey);
	return reparse(cert);
}

/** The cRLDistributionPoints extension with one URI (forge writes it from altNames; type 6 = URI). */
export function crlDistributionPoint(url: string): Record<string, unknown> {
	return { name: 'cRLDistributionPoints', altNames: [{ type: 6, value: url }] };
}

// ---------------------------------------------------------------------------------------------
// Conversions

export function keyObjectToForge(key: crypto.KeyObject): forge.pki.rsa.PrivateKey {
	if (key.asymmetricKeyType !== 'rsa') throw new SigningError('UNSUPPORTED_KEY', String(key.asymmetricKeyType));
	return pki.privateKeyFromPem(key.export({ type: 'pkcs1', format: 'pem' }).toString()) as forge.pki.rsa.PrivateKey;
}

export function forgeKeyToKeyObject(key: forge.pki.PrivateKey): crypto.KeyObject {
	return crypto.createPrivateKey(pki.privateKeyToPem(key));
}

export function certificateToDer(cert: forge.pki.Certificate): Uint8Array {
	return Buffer.from(asn1.toDer(pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

export function certificateFromDer(der: Uint8Array): forge.pki.Certificate {
	return pki.certificateFromAsn1(asn1.fromDer(forge.util.createBuffer(Buffer.from(der).toString('binary'))));
}

export function certificateToPem(cert: forge.pki.Certificate): string {
	return pki.certificateToPem(cert);
}

/** Reads a certificate given as a forge object, PEM text or DER bytes. */
export function toForgeCertificate(c: forge.pki.Certificate | string | Uint8Array): forge.pki.Certificate {
	if (typeof c === 'string') return pki.certificateFromPem(c);
	if (c instanceof Uint8Array) return certificateFromDer(c);
	return c;
}

/**
 * forge encodes UTF8String values on writing but hands them back as raw UTF-8 bytes on parsing.
 * All certificates in this library are parsed ones (see `reparse`), so decode here.
 */
function dnValue(a: forge.pki.CertificateField): string | undefined {
	if (typeof a.value !== 'string') return undefined;
	if ((a.valueTagClass as unknown) !== asn1.Type.UTF8) return a.value;
	try {
		return forge.util.decodeUtf8(a.value);
	} catch {
		return a.value;
	}
}

/** Text of one subject/issuer attribute, by short name ('CN', 'O') or OID. */
export function attrText(name: forge.pki.Certificate['subject'], shortNameOrOid: string): string | undefined {
	const a = name.attributes.find((x) => x.shortName === shortNameOrOid || x.type === shortNameOrOid);
	return a ? dnValue(a) : undefined;
}

/** Certificates we create are handed out in parsed form so that every cert behaves the same. */
function reparse(cert: forge.pki.Certificate): forge.pki.Certificate {
	return certificateFromDer(certificateToDer(cert));
}

export function certificateSummary(cert: forge.pki.Certificate) {
	const dn = (n: forge.pki.Certificate['subject']) =>
		n.attributes.map((a) => `${a.shortName ?? (a.type === OID_TITLE ? 'T' : a.type)}=${dnValue(a)}`).join(', ');
	return {
		subject: dn(cert.subject),
		commonName: attrText(cert.subject, 'CN') ?? '',
		title: attrText(cert.subject, OID_TITLE),
		organization: attrText(cert.subject, 'O'),
		issuer: dn(cert.issuer),
		serial: normalizeSerial(cert.serialNumber),
		notBefore: cert.validity.notBefore,
		notAfter: cert.validity.notAfter
	};
}

// ---------------------------------------------------------------------------------------------
// Usability

/** Serials compare as lowercase hex without leading zeros (forge and OpenSSL pad differently). */
export function normalizeSerial(serial: string): string {
	return serial
		.toLowerCase()
		.replace(/[^0-9a-f]/g, '')
		.replace(/^0+(?=.)/, '');
}

/** Throws CERT_NOT_YET_VALID / CERT_EXPIRED / CERT_REVOKED; returns silently when usable. */
export function checkCertificateUsable(cert: forge.pki.Certificate, now: Date, revokedSerials: Iterable<string> = []): void {
	if (now.getTime() < cert.validity.notBefore.getTime()) {
		throw new SigningError('CERT_NOT_YET_VALID', `valid from ${cert.validity.notBefore.toISOString()}`);
	}
	if (now.getTime() > cert.validity.notAfter.getTime()) {
		throw new SigningError('CERT_EXPIRED', `expired ${cert.validity.notAfter.toISOString()}`);
	}
	const serial = normalizeSerial(cert.serialNumber);
	for (const r of revokedSerials) {
		if (normalizeSerial(r) === serial) throw new SigningError('CERT_REVOKED', `serial ${serial}`);
	}
}
