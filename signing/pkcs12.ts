/**
 * PKCS#12 (.p12/.pfx) files: read once when a certificate authority's file is imported (node-forge reads every
 * layout: PBES2, 3DES, RC2, MAC-less), and written only to hand a key to other software (tests, the benchmark's
 * baseline). Keys are kept as encrypted PKCS#8 (key-store.ts), not as PKCS#12.
 *
 * Stores written by earlier versions of this app are PKCS#12 in the database; `openStoredPkcs12` opens those
 * natively until each is converted (app/lib/server/resolutions/pki.ts).
 */
import crypto from 'node:crypto';
import forge from 'node-forge';
import { SigningError } from './errors.js';
import { openKey, sealKey } from './key-store.js';
import { certificateFromDer, certificateToDer, checkCertificateUsable, forgeKeyToKeyObject, type SigningIdentity } from './pki.js';

const { pki, asn1 } = forge;

/**
 * Packs a key and its chain (signer certificate first) into a PKCS#12 as `openssl pkcs12 -export` does: PBES2
 * (PBKDF2-HMAC-SHA256, AES-256-CBC) for the key, `iterations` (2,048 by default, OpenSSL's), a MAC. forge writes it,
 * in pure JavaScript: this is an interchange format, not how keys are stored.
 */
export function toPkcs12(
	key: crypto.KeyObject | forge.pki.PrivateKey,
	certChain: forge.pki.Certificate[],
	passphrase: string,
	opts: { friendlyName?: string; iterations?: number } = {}
): Uint8Array {
	if (!passphrase) throw new SigningError('WRONG_PASSPHRASE', 'an empty passphrase is not allowed');
	const keyObject = key instanceof crypto.KeyObject ? key : forgeKeyToKeyObject(key);
	const forgeKey = pki.privateKeyFromPem(keyObject.export({ type: 'pkcs1', format: 'pem' }).toString());
	const p12 = forge.pkcs12.toPkcs12Asn1(forgeKey, certChain, passphrase, {
		algorithm: 'aes256',
		count: opts.iterations ?? 2048,
		...(opts.friendlyName ? { friendlyName: opts.friendlyName } : {}),
		// prfAlgorithm is passed through to forge's encryptPrivateKeyInfo (not in @types).
		prfAlgorithm: 'sha256'
	} as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
	return Buffer.from(asn1.toDer(p12).getBytes(), 'binary');
}

function parseDer(bytes: Uint8Array): forge.asn1.Asn1 {
	try {
		return asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')));
	} catch (e) {
		throw new SigningError('INVALID_PKCS12', 'not DER', { cause: e });
	}
}

/**
 * Opens any PKCS#12 with forge. A bad passphrase is WRONG_PASSPHRASE (the MAC does not verify, or for MAC-less
 * files the key bag does not decrypt); anything else unreadable is INVALID_PKCS12. Pure JavaScript (~15 ms at 2,048
 * iterations): run it in the worker pool.
 */
export function fromPkcs12(bytes: Uint8Array, passphrase: string): SigningIdentity {
	const der = parseDer(bytes);
	let p12: forge.pkcs12.Pkcs12Pfx;
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
	// forge yields a null key when a MAC-less key bag fails to decrypt: that is a wrong passphrase.
	const keyBag = keyBags.find((b) => b.key);
	if (!keyBag?.key) {
		if (keyBags.length > 0) throw new SigningError('WRONG_PASSPHRASE');
		throw new SigningError('INVALID_PKCS12', 'no private key');
	}
	if (!(keyBag.key as forge.pki.rsa.PrivateKey).n) throw new SigningError('UNSUPPORTED_KEY', 'only RSA keys are supported');
	const certs = (p12.getBags({ bagType: pki.oids.certBag })[pki.oids.certBag] ?? [])
		.map((b) => b.cert)
		.filter((c): c is forge.pki.Certificate => !!c)
		.map((c) => Buffer.from(certificateToDer(c)));
	return identityOf(forgeKeyToKeyObject(keyBag.key), certs);
}

/**
 * The key and its chain from loose DER certificates: the certificate whose public key is the key's, then its
 * issuers found among the others (names and signatures checked by X509Certificate), up to a self-signed root.
 */
export function identityOf(privateKey: crypto.KeyObject, certificates: Buffer[]): SigningIdentity {
	if (privateKey.asymmetricKeyType !== 'rsa') throw new SigningError('UNSUPPORTED_KEY', 'only RSA keys are supported');
	const x509: crypto.X509Certificate[] = [];
	for (const der of certificates) {
		try {
			x509.push(new crypto.X509Certificate(der));
		} catch (e) {
			throw new SigningError('INVALID_PKCS12', 'unreadable certificate', {
				cause: e
			});
		}
	}
	const leaf = x509.find((c) => c.checkPrivateKey(privateKey));
	if (!leaf) throw new SigningError('KEY_CERT_MISMATCH', 'no certificate for the private key');
	const chain: crypto.X509Certificate[] = [];
	let current = leaf;
	for (let i = 0; i < 8 && !(current.checkIssued(current) && current.verify(current.publicKey)); i++) {
		const child = current;
		const issuer = x509.find((c) => c !== child && !chain.includes(c) && child.checkIssued(c) && child.verify(c.publicKey));
		if (!issuer) break;
		chain.push(issuer);
		current = issuer;
	}
	return {
		privateKey,
		certificate: certificateFromDer(leaf.raw),
		chain: chain.map((c) => certificateFromDer(c.raw))
	};
}

/**
 * The bytes forge's pure-JS PBKDF2 took for a JavaScript-string passphrase: it reads 32-bit words as
 * `c0 << 24 ^ c1 << 16 ^ c2 << 8 ^ c3` from char codes, so a code above 0xFF spills its high bits into the byte
 * before it in the same word. Equals Latin-1 for codes ≤ 0xFF (and so UTF-8 for ASCII). The PKCS#12 stores this app
 * wrote before keys became encrypted PKCS#8 derived their key from these bytes; OpenSSL uses UTF-8.
 */
export function forgeKeyBytes(passphrase: string): Buffer {
	const n = passphrase.length;
	const out = Buffer.alloc(n);
	for (let w = 0; w < n; w += 4) {
		let word = 0;
		for (let k = 0; k < 4 && w + k < n; k++) word ^= passphrase.charCodeAt(w + k) << (24 - 8 * k);
		for (let k = 0; k < 4 && w + k < n; k++) out[w + k] = (word >>> (24 - 8 * k)) & 0xff;
	}
	return out;
}

/**
 * Opens a PKCS#12 store this app wrote before keys were kept as encrypted PKCS#8: certificates in plain bags, the
 * key in a shrouded key bag, which is itself an encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC, 2,048 or
 * 600,000 iterations), opened natively under the passphrase bytes forge used (`forgeKeyBytes`) or, failing those,
 * UTF-8. The MAC is not checked: it would take the RFC 7292 key derivation, which node:crypto lacks, at 600,000
 * rounds in JavaScript; the key bag's own decryption proves the passphrase. A file of any other layout goes to
 * forge's reader.
 */
export function openStoredPkcs12(bytes: Uint8Array, passphrase: string): SigningIdentity {
	const parts = storedParts(parseDer(bytes));
	if (!parts) return fromPkcs12(bytes, passphrase);
	const tries = [forgeKeyBytes(passphrase), Buffer.from(passphrase, 'utf8')];
	let privateKey: crypto.KeyObject | undefined;
	for (const pass of tries[0].equals(tries[1]) ? [tries[0]] : tries) {
		try {
			privateKey = openKey(parts.key, pass);
			break;
		} catch (e) {
			if (!(e instanceof SigningError && e.code === 'WRONG_PASSPHRASE')) throw e;
		}
	}
	if (!privateKey) throw new SigningError('WRONG_PASSPHRASE');
	return identityOf(privateKey, parts.certs);
}

/** The shrouded key bag (as encrypted PKCS#8 DER) and certificate DERs of a stored file, or undefined. */
function storedParts(pfx: forge.asn1.Asn1): { key: Buffer; certs: Buffer[] } | undefined {
	const kids = (a: forge.asn1.Asn1 | undefined) => (a && Array.isArray(a.value) ? a.value : []);
	const oid = (a: forge.asn1.Asn1 | undefined) => (a && typeof a.value === 'string' && a.type === asn1.Type.OID ? asn1.derToOid(a.value) : undefined);
	const octets = (a: forge.asn1.Asn1 | undefined) => (a && typeof a.value === 'string' && a.type === asn1.Type.OCTETSTRING ? a.value : undefined);
	const fromBinary = (s: string) => parseDer(Buffer.from(s, 'binary'));
	try {
		const authSafe = kids(pfx)[1];
		const authData = oid(kids(authSafe)[0]) === pki.oids.data ? octets(kids(kids(authSafe)[1])[0]) : undefined;
		if (authData === undefined) return undefined;
		const keys: Buffer[] = [];
		const certs: Buffer[] = [];
		for (const info of kids(fromBinary(authData))) {
			const data = oid(kids(info)[0]) === pki.oids.data ? octets(kids(kids(info)[1])[0]) : undefined;
			if (data === undefined) return undefined; // an encrypted safe: not a layout this app wrote
			for (const bag of kids(fromBinary(data))) {
				const [type, value] = kids(bag);
				const inner = kids(value)[0];
				if (oid(type) === pki.oids.pkcs8ShroudedKeyBag && inner) keys.push(Buffer.from(asn1.toDer(inner).getBytes(), 'binary'));
				if (oid(type) === pki.oids.certBag) {
					const der = octets(kids(kids(inner)[1])[0]);
					if (der !== undefined) certs.push(Buffer.from(der, 'binary'));
				}
			}
		}
		return keys.length === 1 ? { key: keys[0], certs } : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Takes a PKCS#12 made elsewhere (a CA's token export, OpenSSL, Windows), checks that it can sign resolutions, and
 * seals its key as encrypted PKCS#8 under `newPassphrase` (the file's own by default) for storage.
 */
export function importExternalPkcs12(
	bytes: Uint8Array,
	passphrase: string,
	opts: {
		newPassphrase?: string;
		now?: Date;
		revokedSerials?: Iterable<string>;
		iterations?: number;
	} = {}
): { identity: SigningIdentity; sealedKey: Buffer } {
	const identity = fromPkcs12(bytes, passphrase);
	checkImportable(identity, opts.now ?? new Date(), opts.revokedSerials ?? []);
	return {
		identity,
		sealedKey: sealKey(identity.privateKey, opts.newPassphrase ?? passphrase, opts.iterations)
	};
}

/** RSA of 2048 bits or more, a certificate whose key usage allows signing, usable now. */
export function checkImportable(identity: SigningIdentity, now: Date, revokedSerials: Iterable<string>): void {
	const details = identity.privateKey.asymmetricKeyDetails;
	if (identity.privateKey.asymmetricKeyType !== 'rsa' || (details?.modulusLength ?? 0) < 2048) {
		throw new SigningError('UNSUPPORTED_KEY', `${identity.privateKey.asymmetricKeyType} ${details?.modulusLength}`);
	}
	const ku = identity.certificate.getExtension('keyUsage') as {
		digitalSignature?: boolean;
		nonRepudiation?: boolean;
	} | null;
	if (ku && !ku.digitalSignature && !ku.nonRepudiation) throw new SigningError('CERT_UNSUITABLE', 'keyUsage forbids signing');
	checkCertificateUsable(identity.certificate, now, revokedSerials);
}
