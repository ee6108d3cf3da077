/**
 * X.509 v2 certificate revocation lists (RFC 5280 §5) for the council CAs: what PAdES B-LT validators (pyHanko,
 * Acrobat) need to tell that a signer's certificate was not revoked.
 *
 * node-forge reads and writes certificates but has no CRL writer; the CRL is built with the same small ASN.1
 * builders as the CMS (cms.ts) and signed with node:crypto, as the certificates are (pki.ts).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { der, fromBinary, int, octets, oid, OID, seq } from './cms.js';
import { children, readTlv, bytes as tlvBytes } from './der.js';
import { SigningError } from './errors.js';
import type { CertificateAuthority } from './pki.js';

const { asn1 } = forge;
const { Class, Type } = asn1;

const OID_CRL_NUMBER = '2.5.29.20';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';

export interface RevokedEntry {
	/** Certificate serial, hex (any case, leading zeros allowed). */
	serial: string;
	revokedAt: Date;
}

export interface CrlOptions {
	revoked: RevokedEntry[];
	thisUpdate: Date;
	nextUpdate: Date;
	/** Monotonic CRL number (RFC 5280 §5.2.3); validators prefer the highest. */
	crlNumber: number;
}

/** UTCTime up to 2049, GeneralizedTime after (RFC 5280 §5.1.2.4), whole seconds. */
function time(d: Date): forge.asn1.Asn1 {
	const iso = d.toISOString().slice(0, 19).replace(/[-:T]/g, ''); // YYYYMMDDhhmmss
	const year = d.getUTCFullYear();
	if (year >= 1950 && year < 2050) return asn1.create(Class.UNIVERSAL, Type.UTCTIME, false, `${iso.slice(2)}Z`);
	return asn1.create(Class.UNIVERSAL, Type.GENERALIZEDTIME, false, `${iso}Z`);
}

/** A positive INTEGER from a hex serial, minimally encoded. */
function serialInteger(hex: string): forge.asn1.Asn1 {
	let h = hex
		.toLowerCase()
		.replace(/[^0-9a-f]/g, '')
		.replace(/^0+(?=.)/, '');
	if (h.length % 2) h = `0${h}`;
	let b = Buffer.from(h, 'hex');
	if (b[0] & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
	return asn1.create(Class.UNIVERSAL, Type.INTEGER, false, b.toString('binary'));
}

/** The CA certificate's subject Name, byte for byte: the CRL's issuer must match it exactly. */
function subjectName(ca: forge.pki.Certificate): forge.asn1.Asn1 {
	const certDer = fromBinary(der(forge.pki.certificateToAsn1(ca)));
	const tbs = children(certDer, children(certDer, readTlv(certDer, 0))[0]);
	const o = tbs[0].tag === 0xa0 ? 1 : 0;
	return asn1.fromDer(Buffer.from(tlvBytes(certDer, tbs[o + 4])).toString('binary'));
}

const extension = (id: string, value: forge.asn1.Asn1) => seq([oid(id), octets(fromBinary(der(value)))]);

/**
 * A CRL signed by `ca` (SHA-256 with RSA), listing `revoked` in serial order, with the CRL number and the CA's key
 * identifier as extensions, as RFC 5280 §5.2 requires of conforming CAs. DER.
 */
export function buildCrl(ca: CertificateAuthority, opts: CrlOptions): Uint8Array {
	if (!(opts.thisUpdate < opts.nextUpdate)) throw new SigningError('CERT_UNSUITABLE', 'thisUpdate must be before nextUpdate');
	const sigAlg = seq([oid(OID.sha256WithRSAEncryption), asn1.create(Class.UNIVERSAL, Type.NULL, false, '')]);
	const keyId = ca.certificate.generateSubjectKeyIdentifier().getBytes();
	const aki = seq([asn1.create(Class.CONTEXT_SPECIFIC, 0, false, keyId)]);
	const entries = [...opts.revoked].sort((a, b) => a.serial.localeCompare(b.serial)).map((r) => seq([serialInteger(r.serial), time(r.revokedAt)]));
	const tbs = seq([
		int(1), // v2
		sigAlg,
		subjectName(ca.certificate),
		time(opts.thisUpdate),
		time(opts.nextUpdate),
		...(entries.length ? [seq(entries)] : []), // an empty list is left out (RFC 5280 §5.1.2.6)
		asn1.create(Class.CONTEXT_SPECIFIC, 0, true, [seq([extension(OID_AUTHORITY_KEY_ID, aki), extension(OID_CRL_NUMBER, int(opts.crlNumber))])])
	]);
	const tbsDer = fromBinary(der(tbs));
	const signature = crypto.sign('sha256', tbsDer, ca.privateKey);
	const bits = asn1.create(Class.UNIVERSAL, Type.BITSTRING, false, `\x00${signature.toString('binary')}`);
	return fromBinary(der(seq([tbs, sigAlg, bits])));
}
