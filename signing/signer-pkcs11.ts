/**
 * A signer whose private key lives on a PKCS#11 token (a USB token, an HSM; tested with SoftHSM2), through pkcs11js.
 *
 * The key is generated ON the token (C_GenerateKeyPair with CKA_SENSITIVE true and CKA_EXTRACTABLE false): the
 * server never sees it. What leaves the token is its public key (for the council CA to certify, pki.ts
 * issueCertificateForKey) and signatures: CKM_SHA256_RSA_PKCS over the DER of the signed attributes, the token
 * hashing them itself, which is the sha256WithRSAEncryption every other signer makes (signer.ts).
 *
 * Every function here is synchronous, because pkcs11js calls the module synchronously, and a token may take
 * hundreds of milliseconds per operation (a USB token's RSA) or hang: they must never run on the event loop that
 * serves votes. The app runs them in a worker thread of their own (app/lib/server/pdf-jobs/tokens.ts), one at a
 * time: a token does one operation at a time anyway, a module is initialised once per process (two threads
 * initialising it would collide), and the pool's time budget ends a worker stuck on a hung token.
 *
 * Each call opens the module, logs in, does one thing and finalises it again: nothing stays logged in between
 * signatures, and the PIN is held only for the call.
 */
import crypto from 'node:crypto';
import pkcs11js from 'pkcs11js';
import forge from 'node-forge';
import { SigningError } from './errors.js';
import type { Signer } from './signer.js';

/** Where the key is: the module (the vendor's .so, set by the operator), the token's label, the key's label. */
export interface Pkcs11Location {
	module: string;
	tokenLabel: string;
	keyLabel: string;
}

/** pkcs11js's error codes as our refusals: a wrong PIN is the user's to fix; the rest are the token's. */
function refusal(err: unknown): SigningError {
	const code = (err as { code?: unknown }).code;
	if (code === pkcs11js.CKR_PIN_INCORRECT || code === pkcs11js.CKR_PIN_LEN_RANGE) return new SigningError('WRONG_PIN', undefined, { cause: err });
	if (code === pkcs11js.CKR_PIN_LOCKED) return new SigningError('PIN_LOCKED', undefined, { cause: err });
	if (code === pkcs11js.CKR_TOKEN_NOT_PRESENT || code === pkcs11js.CKR_SLOT_ID_INVALID) return new SigningError('TOKEN_NOT_FOUND', undefined, { cause: err });
	if (err instanceof SigningError) return err;
	return new SigningError('TOKEN_FAILED', err instanceof Error ? err.message : String(err), { cause: err });
}

/** Runs `work` in a logged-in read-write session on the token labelled `tokenLabel`, then closes everything. */
function withSession<T>(loc: Pkcs11Location, pin: string, work: (p11: pkcs11js.PKCS11, session: Buffer) => T): T {
	const p11 = new pkcs11js.PKCS11();
	try {
		p11.load(loc.module);
	} catch (err) {
		throw new SigningError('TOKEN_NOT_FOUND', `module ${loc.module}: ${(err as Error).message}`, { cause: err });
	}
	let initialised = false;
	let session: Buffer | null = null;
	let loggedIn = false;
	try {
		p11.C_Initialize();
		initialised = true;
		// Labels are padded with blanks to 32 bytes (PKCS#11 §3.2, CK_TOKEN_INFO).
		const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === loc.tokenLabel);
		if (!slot) throw new SigningError('TOKEN_NOT_FOUND', `no token labelled ${loc.tokenLabel}`);
		session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
		p11.C_Login(session, pkcs11js.CKU_USER, pin);
		loggedIn = true;
		return work(p11, session);
	} catch (err) {
		throw refusal(err);
	} finally {
		// Best effort: a failure while closing must not hide the answer or the refusal above.
		try {
			if (session && loggedIn) p11.C_Logout(session);
			if (session) p11.C_CloseSession(session);
			if (initialised) p11.C_Finalize();
		} catch {
			/* the module is closed below either way */
		}
		p11.close();
	}
}

function findKey(p11: pkcs11js.PKCS11, session: Buffer, keyClass: number, label: string): Buffer {
	p11.C_FindObjectsInit(session, [
		{ type: pkcs11js.CKA_CLASS, value: keyClass },
		{ type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_RSA },
		{ type: pkcs11js.CKA_LABEL, value: label }
	]);
	try {
		const found = p11.C_FindObjects(session, 2);
		if (found.length === 0) throw new SigningError('TOKEN_NOT_FOUND', `no key labelled ${label}`);
		if (found.length > 1) throw new SigningError('TOKEN_NOT_FOUND', `two keys labelled ${label}: which one signs is ambiguous`);
		return found[0];
	} finally {
		p11.C_FindObjectsFinal(session);
	}
}

/** SubjectPublicKeyInfo DER of the token's public key, from its modulus and exponent. */
function publicKeySpki(p11: pkcs11js.PKCS11, session: Buffer, publicKey: Buffer): Buffer {
	const [n, e] = p11.C_GetAttributeValue(session, publicKey, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
	const key = crypto.createPublicKey({ key: { kty: 'RSA', n: Buffer.from(n.value as Buffer).toString('base64url'), e: Buffer.from(e.value as Buffer).toString('base64url') }, format: 'jwk' });
	return key.export({ type: 'spki', format: 'der' });
}

/**
 * Generates an RSA-2048 key pair on the token under `keyLabel` (refused when one exists: a key is never replaced
 * silently) and returns its public key. The private key is sensitive and not extractable: the token will sign
 * with it and never hand it out, not even wrapped.
 */
export function pkcs11GenerateKey(loc: Pkcs11Location, pin: string): { spki: Buffer } {
	return withSession(loc, pin, (p11, session) => {
		p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_LABEL, value: loc.keyLabel }]);
		const existing = p11.C_FindObjects(session, 1);
		p11.C_FindObjectsFinal(session);
		if (existing.length) throw new SigningError('TOKEN_FAILED', `a key labelled ${loc.keyLabel} exists`);
		const id = crypto.randomBytes(16);
		const common = [
			{ type: pkcs11js.CKA_TOKEN, value: true },
			{ type: pkcs11js.CKA_LABEL, value: loc.keyLabel },
			{ type: pkcs11js.CKA_ID, value: id }
		];
		const keys = p11.C_GenerateKeyPair(
			session,
			{ mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
			[...common, { type: pkcs11js.CKA_VERIFY, value: true }, { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 }, { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }],
			[
				...common,
				{ type: pkcs11js.CKA_PRIVATE, value: true },
				{ type: pkcs11js.CKA_SIGN, value: true },
				{ type: pkcs11js.CKA_SENSITIVE, value: true },
				{ type: pkcs11js.CKA_EXTRACTABLE, value: false }
			]
		);
		return { spki: publicKeySpki(p11, session, keys.publicKey) };
	});
}

/** The public key (SPKI DER) of the key pair labelled `keyLabel`. */
export function pkcs11PublicKey(loc: Pkcs11Location, pin: string): { spki: Buffer } {
	return withSession(loc, pin, (p11, session) => ({ spki: publicKeySpki(p11, session, findKey(p11, session, pkcs11js.CKO_PUBLIC_KEY, loc.keyLabel)) }));
}

/** The token's RSA PKCS#1 v1.5 SHA-256 signature over `data` (CKM_SHA256_RSA_PKCS: the token hashes). */
export function pkcs11Sign(loc: Pkcs11Location, pin: string, data: Uint8Array): Buffer {
	return withSession(loc, pin, (p11, session) => {
		const key = findKey(p11, session, pkcs11js.CKO_PRIVATE_KEY, loc.keyLabel);
		p11.C_SignInit(session, { mechanism: pkcs11js.CKM_SHA256_RSA_PKCS }, key);
		return Buffer.from(p11.C_Sign(session, Buffer.from(data), Buffer.alloc(1024)));
	});
}

/**
 * What the token says of the private key's protection, and whether it hands out its value (it must not: the
 * token answers CKR_ATTRIBUTE_SENSITIVE). For the tests and for an operator checking a token.
 */
export function pkcs11PrivateKeyProtection(loc: Pkcs11Location, pin: string): { sensitive: boolean; extractable: boolean; valueRefused: boolean } {
	return withSession(loc, pin, (p11, session) => {
		const key = findKey(p11, session, pkcs11js.CKO_PRIVATE_KEY, loc.keyLabel);
		const [s, x] = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }]);
		let valueRefused = false;
		try {
			const [d] = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_PRIVATE_EXPONENT }]);
			valueRefused = !d.value || (d.value as Buffer).length === 0;
		} catch (err) {
			valueRefused = (err as { code?: unknown }).code === pkcs11js.CKR_ATTRIBUTE_SENSITIVE;
		}
		return { sensitive: (s.value as Buffer)[0] === 1, extractable: (x.value as Buffer)[0] === 1, valueRefused };
	});
}

/**
 * The signer for a token key: `sign` is how the caller reaches the token off the event loop (the app's token
 * worker, with the PIN the user typed); the certificate is the one the council CA issued for the token's key.
 */
export function pkcs11Signer(opts: { certificate: forge.pki.Certificate; chain: forge.pki.Certificate[]; sign: (toBeSigned: Uint8Array) => Promise<Uint8Array> }): Signer {
	return { kind: 'pkcs11', certificate: opts.certificate, chain: opts.chain, sign: opts.sign };
}
