/**
 * Who produces the signature value of a CMS signature (issue 18 §3: keys off the server).
 *
 * The server builds the signed attributes (cms.ts), hands their DER — the exact bytes that RFC 5652 §5.4 says the
 * signature covers — to a signer, and finishes the CMS, the timestamp and the PDF itself. The algorithm is fixed:
 * RSA PKCS#1 v1.5 with SHA-256 (sha256WithRSAEncryption), as the server-held keys have always signed, so every
 * signer yields signatures that every validator already accepts. A signer only ever sees those bytes (or their
 * digest); it never sees the PDF.
 *
 * Three signers: the key held by the server (below; the demo default), a PKCS#11 token (signer-pkcs11.ts) and a
 * remote signing service over HTTP (signer-remote.ts).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';

/** How a signature was made; stored with each revision and shown on the resolution page. */
export const SIGNER_KINDS = ['server', 'pkcs11', 'remote'] as const;
export type SignerKind = (typeof SIGNER_KINDS)[number];

export interface Signer {
	readonly kind: SignerKind;
	/** The certificate the signed attributes name (signing-certificate-v2) and the signature must verify against. */
	readonly certificate: forge.pki.Certificate;
	/** Issuer certificates up to the root, embedded in the CMS. */
	readonly chain: forge.pki.Certificate[];
	/** The RSA PKCS#1 v1.5 SHA-256 signature over `toBeSigned` (the DER SET of signed attributes). */
	sign(toBeSigned: Uint8Array): Promise<Uint8Array>;
}

/** The key held by the server, opened with the signer's passphrase (app/lib/server/resolutions/pki.ts). */
export function keySigner(privateKey: crypto.KeyObject, certificate: forge.pki.Certificate, chain: forge.pki.Certificate[]): Signer {
	assertKeyMatchesCertificate(privateKey, certificate);
	return {
		kind: 'server',
		certificate,
		chain,
		sign: async (toBeSigned) => crypto.sign('sha256', toBeSigned, privateKey)
	};
}

/** The certificate's public key as node:crypto reads it. */
export function certificatePublicKey(cert: forge.pki.Certificate): crypto.KeyObject {
	const spki = Buffer.from(forge.asn1.toDer(forge.pki.publicKeyToAsn1(cert.publicKey)).getBytes(), 'binary');
	return crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
}

export function assertKeyMatchesCertificate(key: crypto.KeyObject, cert: forge.pki.Certificate): void {
	if (key.type !== 'private' || key.asymmetricKeyType !== 'rsa') throw new SigningError('UNSUPPORTED_KEY', 'an RSA private key is required');
	const fromKey = crypto.createPublicKey(key).export({ type: 'spki', format: 'der' });
	if (!fromKey.equals(certificatePublicKey(cert).export({ type: 'spki', format: 'der' }))) throw new SigningError('KEY_CERT_MISMATCH');
}

/**
 * Asks the signer and checks its answer against its certificate before anything uses it: a token or a service that
 * answers with the wrong key, a truncated value or garbage is refused here (SIGNER_BAD_SIGNATURE), so no revision
 * with an invalid signature is ever stored. An RSA verification costs about 50 µs.
 */
export async function signChecked(signer: Signer, toBeSigned: Uint8Array): Promise<Buffer> {
	const signature = Buffer.from(await signer.sign(toBeSigned));
	const key = certificatePublicKey(signer.certificate);
	let ok = false;
	try {
		ok = crypto.verify('sha256', toBeSigned, key, signature);
	} catch {
		ok = false;
	}
	if (!ok) throw new SigningError('SIGNER_BAD_SIGNATURE', `${signer.kind} signer`);
	return signature;
}

/** DigestInfo ::= SEQUENCE { sha256 AlgorithmIdentifier (NULL parameters), OCTET STRING digest } — RFC 8017 §9.2 note 1. */
const SHA256_DIGEST_INFO_PREFIX = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/** The DigestInfo a PKCS#1 v1.5 SHA-256 signature encrypts: for tokens and services that sign a prepared digest. */
export function sha256DigestInfo(digest: Uint8Array): Buffer {
	if (digest.length !== 32) throw new SigningError('SIGNER_BAD_SIGNATURE', 'a SHA-256 digest is 32 bytes');
	return Buffer.concat([SHA256_DIGEST_INFO_PREFIX, digest]);
}
