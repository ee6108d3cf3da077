/**
 * A small certificate authority for the councils, and PKCS#12 key stores.
 *
 * node-forge builds and parses the X.509/PKCS#12 structures; node:crypto does the heavy maths
 * (key generation and RSA signatures), because forge's pure-JS RSA is about 100× slower.
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';
import {
	bmpPassword,
	certificateParts,
	forgeKeyBytes,
	openPkcs12Fast,
	pkcs12Kdf,
	Pkcs12Unsupported,
	rsaKeyFromPkcs8,
	verifyCertificateSignature,
	type CertificateParts,
	type Pkcs12Contents,
	type RsaPublicNumbers
} from './pkcs12-fast.js';

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

function generateRsaKeyPair(): {
	nodeKey: crypto.KeyObject;
	forgePublic: forge.pki.rsa.PublicKey;
} {
	const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', {
		modulusLength: 2048,
		publicExponent: 0x10001
	});
	const forgePublic = pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as forge.pki.rsa.PublicKey;
	return { nodeKey: privateKey, forgePublic };
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

export function createRootCa(opts: RootCaOptions): CertificateAuthority {
	const { nodeKey, forgePublic } = generateRsaKeyPair();
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
export function issuePersonCertificate(ca: CertificateAuthority, opts: PersonCertificateOptions): SigningIdentity {
	if (!(opts.validFrom < opts.validTo)) throw new SigningError('CERT_UNSUITABLE', 'validFrom must be before validTo');
	const { nodeKey, forgePublic } = generateRsaKeyPair();
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
	if (opts.email)
		ext.push({
			name: 'subjectAltName',
			altNames: [{ type: 1, value: opts.email }]
		});
	cert.setExtensions(ext);
	signCertificate(cert, ca.privateKey);
	return {
		privateKey: nodeKey,
		certificate: reparse(cert),
		chain: [ca.certificate]
	};
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
// PKCS#12

/**
 * PBKDF2 iterations (and PKCS#12 MAC iterations) of the key stores written from now on: OWASP's figure for
 * PBKDF2-HMAC-SHA256 (2023). The files are stored in the database, so this is what a dump's offline guessing pays
 * per passphrase; stores written earlier with 2,048 keep opening as before. Unlocking one costs ~0.7 s here (the
 * MAC's RFC 7292 key derivation runs in JavaScript, the PBKDF2 in OpenSSL), which a signature can afford.
 */
export const PKCS12_ITERATIONS = 600_000;

const OID_PBES2 = '1.2.840.113549.1.5.13';
const OID_PBKDF2 = '1.2.840.113549.1.5.12';
const OID_HMAC_SHA256 = '1.2.840.113549.2.9';
const OID_AES256_CBC = '2.16.840.1.101.3.4.1.42';
const OID_SHA256 = '2.16.840.1.101.3.4.2.1';

/**
 * Packs a key and its chain (signer certificate first) into an encrypted PKCS#12 (DER bytes): the certificates in
 * a plain bag, the key in a PBES2 bag (PBKDF2-HMAC-SHA256, AES-256-CBC), and a SHA-256 MAC, `iterations` each
 * (PKCS12_ITERATIONS by default) — what `openssl pkcs12 -export -iter N` writes. This is what we store in the
 * database for a person. Laid out as forge's toPkcs12Asn1 lays it out, but the key derivations and the cipher run on
 * node:crypto (forge's pure-JS PBKDF2 would take seconds at this count, on the event loop). The PBKDF2 password
 * bytes are forge's (`forgeKeyBytes`, UTF-8 for ASCII), so forge's own reader opens these files as well.
 */
export function toPkcs12(
	key: crypto.KeyObject | forge.pki.PrivateKey,
	certChain: forge.pki.Certificate[],
	passphrase: string,
	opts: { friendlyName?: string; iterations?: number } = {}
): Uint8Array {
	if (!passphrase) throw new SigningError('WRONG_PASSPHRASE', 'an empty passphrase is not allowed');
	const iterations = opts.iterations ?? PKCS12_ITERATIONS;
	const keyObject = key instanceof crypto.KeyObject ? key : forgeKeyToKeyObject(key);
	const { Class, Type } = asn1;
	const seq = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, v);
	const set = (v: forge.asn1.Asn1[]) => asn1.create(Class.UNIVERSAL, Type.SET, true, v);
	const oid = (o: string) => asn1.create(Class.UNIVERSAL, Type.OID, false, asn1.oidToDer(o).getBytes());
	const int = (n: number) => asn1.create(Class.UNIVERSAL, Type.INTEGER, false, asn1.integerToDer(n).getBytes());
	const octets = (b: Uint8Array) => asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, Buffer.from(b).toString('binary'));
	const explicit0 = (v: forge.asn1.Asn1) => asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [v]);
	const der = (a: forge.asn1.Asn1) => Buffer.from(asn1.toDer(a).getBytes(), 'binary');
	const dataInfo = (content: Buffer) => seq([oid(pki.oids.data), explicit0(octets(content))]);

	// localKeyId pairs the key with its certificate (SHA-1 of the certificate, as forge and OpenSSL write it).
	const leafDer = Buffer.from(certificateToDer(certChain[0]));
	const attrs: forge.asn1.Asn1[] = [seq([oid(pki.oids.localKeyId), set([octets(crypto.createHash('sha1').update(leafDer).digest())])])];
	if (opts.friendlyName) {
		const name = Buffer.from(bmpPassword(opts.friendlyName).subarray(0, -2)); // BMPString, without the terminator
		attrs.push(seq([oid(pki.oids.friendlyName), set([asn1.create(Class.UNIVERSAL, Type.BMPSTRING, false, name.toString('binary'))])]));
	}
	const certBags = certChain.map((cert, i) =>
		seq([
			oid(pki.oids.certBag),
			explicit0(seq([oid(pki.oids.x509Certificate), explicit0(octets(certificateToDer(cert)))])),
			...(i === 0 ? [set(attrs)] : [])
		])
	);

	const salt = crypto.randomBytes(16);
	const iv = crypto.randomBytes(16);
	const aesKey = crypto.pbkdf2Sync(forgeKeyBytes(passphrase), salt, iterations, 32, 'sha256');
	const plainKey = keyObject.export({ type: 'pkcs8', format: 'der' });
	const cipher = crypto.createCipheriv('aes-256-cbc', aesKey, iv);
	const encryptedKey = Buffer.concat([cipher.update(plainKey), cipher.final()]);
	plainKey.fill(0);
	const pbes2 = seq([
		oid(OID_PBES2),
		seq([
			seq([oid(OID_PBKDF2), seq([octets(salt), int(iterations), int(32), seq([oid(OID_HMAC_SHA256), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')])])]),
			seq([oid(OID_AES256_CBC), octets(iv)])
		])
	]);
	const keyBag = seq([oid(pki.oids.pkcs8ShroudedKeyBag), explicit0(seq([pbes2, octets(encryptedKey)])), set(attrs)]);

	const authSafe = der(seq([dataInfo(der(seq(certBags))), dataInfo(der(seq([keyBag])))]));
	const macSalt = crypto.randomBytes(16);
	const macKey = pkcs12Kdf('sha256', bmpPassword(passphrase), macSalt, 3, iterations, 32);
	const mac = crypto.createHmac('sha256', macKey).update(authSafe).digest();
	const macData = seq([seq([seq([oid(OID_SHA256), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]), octets(mac)]), octets(macSalt), int(iterations)]);
	return der(seq([int(3), dataInfo(authSafe), macData]));
}

/**
 * Opens a PKCS#12. A bad passphrase is reported as WRONG_PASSPHRASE (the MAC check fails, or
 * for MAC-less files the key bag does not decrypt); anything else unreadable is INVALID_PKCS12.
 *
 * The MAC, PBKDF2 and AES/3DES run on node:crypto (`pkcs12-fast.ts`, ~1 ms); files that path
 * does not handle (RC2 and other legacy algorithms, BER encodings, MAC-less files with a wrong
 * passphrase, garbage) go through forge's full pure-JS path as before.
 */
export function fromPkcs12(bytes: Uint8Array, passphrase: string): SigningIdentity {
	let contents: Pkcs12Contents;
	try {
		contents = openPkcs12Fast(bytes, passphrase);
	} catch (e) {
		if (e instanceof Pkcs12Unsupported) return fromPkcs12Forge(bytes, passphrase);
		throw e; // WRONG_PASSPHRASE: the MAC did not verify
	}
	const identity = identityFromDer(contents);
	return identity ?? fromPkcs12Forge(bytes, passphrase);
}

/** Builds the identity from decrypted DER; undefined sends the file to forge's path instead. */
function identityFromDer(contents: Pkcs12Contents): SigningIdentity | undefined {
	let privateKey: crypto.KeyObject | undefined;
	let rsaPublic: RsaPublicNumbers | undefined;
	for (const der of contents.keys) {
		const fast = rsaKeyFromPkcs8(der);
		if (fast) {
			privateKey = fast.key;
			rsaPublic = fast.pub;
			break;
		}
		try {
			privateKey = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
			break;
		} catch {
			// not a key node reads: try the next bag, else let forge judge the file
		}
	}
	for (const der of contents.keys) der.fill(0); // decrypted key material: not left lying around
	if (!privateKey) return undefined;
	if (privateKey.asymmetricKeyType !== 'rsa') throw new SigningError('UNSUPPORTED_KEY', 'only RSA keys are supported');
	let certs: ChainCert[];
	try {
		certs = contents.certs.map((der) => ({ forge: certificateFromDer(der), der }));
	} catch {
		return undefined;
	}
	const key = privateKey;
	const leaf = certs.find((c) => {
		const rsa = parts(c)?.rsa;
		if (rsaPublic && rsa) return rsa.n.equals(rsaPublic.n) && rsa.e.equals(rsaPublic.e);
		try {
			return new crypto.X509Certificate(c.der).publicKey.equals(crypto.createPublicKey(key));
		} catch {
			return false;
		}
	});
	if (!leaf) throw new SigningError('KEY_CERT_MISMATCH', 'no certificate for the private key');
	return { privateKey, certificate: leaf.forge, chain: orderChain(leaf, certs) };
}

/** forge's pure-JS path (~15 ms for our files): the fallback, and the reference in the tests. */
export function fromPkcs12Forge(bytes: Uint8Array, passphrase: string): SigningIdentity {
	let p12: forge.pkcs12.Pkcs12Pfx;
	let der: forge.asn1.Asn1;
	try {
		der = asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
	} catch (e) {
		throw new SigningError('INVALID_PKCS12', 'not DER', { cause: e });
	}
	try {
		p12 = forge.pkcs12.pkcs12FromAsn1(der, false, passphrase);
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		if (/password|MAC could not be verified|decrypt/i.test(msg)) throw new SigningError('WRONG_PASSPHRASE', undefined, { cause: e });
		throw new SigningError('INVALID_PKCS12', msg, { cause: e });
	}
	const keyBags = [
		...(p12.getBags({ bagType: pki.oids.pkcs8ShroudedKeyBag })[pki.oids.pkcs8ShroudedKeyBag] ?? []),
		...(p12.getBags({ bagType: pki.oids.keyBag })[pki.oids.keyBag] ?? [])
	];
	const certs = (p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? [])
		.map((b) => b.cert)
		.filter((c): c is forge.pki.Certificate => !!c);
	// forge yields a null key when a MAC-less key bag fails to decrypt: that is a wrong passphrase.
	const keyBag = keyBags.find((b) => b.key);
	if (!keyBag?.key) {
		if (keyBags.length > 0) throw new SigningError('WRONG_PASSPHRASE');
		throw new SigningError('INVALID_PKCS12', 'no private key');
	}
	const forgeKey = keyBag.key as forge.pki.rsa.PrivateKey;
	if (!forgeKey.n) throw new SigningError('UNSUPPORTED_KEY', 'only RSA keys are supported');
	const certificate = certs.find((c) => {
		const pub = c.publicKey as forge.pki.rsa.PublicKey;
		return pub.n && pub.n.equals(forgeKey.n) && pub.e.equals(forgeKey.e);
	});
	if (!certificate) throw new SigningError('KEY_CERT_MISMATCH', 'no certificate for the private key');
	const all: ChainCert[] = certs.map((c) => ({ forge: c, der: Buffer.from(certificateToDer(c)) }));
	const leaf = all[certs.indexOf(certificate)];
	return {
		privateKey: forgeKeyToKeyObject(forgeKey),
		certificate,
		chain: orderChain(leaf, all)
	};
}

interface ChainCert {
	forge: forge.pki.Certificate;
	der: Buffer;
	/** Split DER, made on demand (null: not parseable by the fast reader). */
	parts?: CertificateParts | null;
}

function parts(c: ChainCert): CertificateParts | undefined {
	if (c.parts === undefined) c.parts = certificateParts(c.der) ?? null;
	return c.parts ?? undefined;
}

/**
 * Issuer-first walk from the signer certificate through the other certificates of the file.
 * Names are compared by forge, as before; signatures are checked by node:crypto (forge's pure-JS
 * RSA verification took ~1–4 ms per certificate).
 */
function orderChain(leaf: ChainCert, all: ChainCert[]): forge.pki.Certificate[] {
	const chain: ChainCert[] = [];
	let current = leaf;
	for (let i = 0; i < 8; i++) {
		if (current.forge.isIssuer(current.forge)) break; // self-signed root reached
		const child = current;
		const issuer = all.find((c) => c !== child && !chain.includes(c) && c.forge.issued(child.forge) && safeVerify(c, child));
		if (!issuer) break;
		chain.push(issuer);
		current = issuer;
	}
	return chain.map((c) => c.forge);
}

function safeVerify(issuer: ChainCert, child: ChainCert): boolean {
	try {
		const i = parts(issuer);
		const c = parts(child);
		const quick = i && c ? verifyCertificateSignature(c, i) : undefined;
		if (quick !== undefined) return quick;
		return new crypto.X509Certificate(child.der).verify(new crypto.X509Certificate(issuer.der).publicKey);
	} catch {
		return false;
	}
}

/**
 * Takes a PKCS#12 made elsewhere (a CA's token export, OpenSSL, Windows), checks that it can
 * sign resolutions, and re-encrypts it in our own format under `newPassphrase` for storage.
 */
export function importExternalPkcs12(
	bytes: Uint8Array,
	passphrase: string,
	opts: {
		newPassphrase?: string;
		now?: Date;
		revokedSerials?: Iterable<string>;
	} = {}
): { identity: SigningIdentity; pkcs12: Uint8Array } {
	const identity = fromPkcs12(bytes, passphrase);
	const details = identity.privateKey.asymmetricKeyDetails;
	if (identity.privateKey.asymmetricKeyType !== 'rsa' || (details?.modulusLength ?? 0) < 2048) {
		throw new SigningError('UNSUPPORTED_KEY', `${identity.privateKey.asymmetricKeyType} ${details?.modulusLength}`);
	}
	const ku = identity.certificate.getExtension('keyUsage') as {
		digitalSignature?: boolean;
		nonRepudiation?: boolean;
	} | null;
	if (ku && !ku.digitalSignature && !ku.nonRepudiation) throw new SigningError('CERT_UNSUITABLE', 'keyUsage forbids signing');
	checkCertificateUsable(identity.certificate, opts.now ?? new Date(), opts.revokedSerials ?? []);
	const pkcs12 = toPkcs12(identity.privateKey, [identity.certificate, ...identity.chain], opts.newPassphrase ?? passphrase);
	return { identity, pkcs12 };
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
