/**
 * What the PDF worker threads run (./worker.ts). Plain data in and out: the main thread reads the database and
 * translates messages; these functions only look at bytes. Kept apart from the worker's message loop so they can
 * be called directly in unit tests.
 */
import { PDFDocument } from 'pdf-lib';
import crypto from 'node:crypto';
import { certificateToDer, fromPkcs12, importExternalPkcs12, isSigningError, openKey, openStoredPkcs12, sealKey, verifyPdf, type SigningIdentity, type VerifyResult } from '../../../../signing/index';
import { pkcs11GenerateKey, pkcs11PrivateKeyProtection, pkcs11PublicKey, pkcs11Sign, type Pkcs11Location } from '../../../../signing/signer-pkcs11';
import { scanInflation, INFLATION_LIMITS } from './inflation';

export interface VerifyJobInput {
	bytes: Uint8Array;
	/** DER of the councils' CA certificates. */
	trustedRoots: Uint8Array[];
	revoked: { serial: string; revokedAt: Date }[];
	maxBytes: number;
}

export type VerifyJobOutput = { ok: true; result: VerifyResult } | { ok: false; code: string };

/** verifyPdf, with its refusals as codes (an Error's class does not survive the trip between threads). */
export function verifyJob(input: VerifyJobInput): VerifyJobOutput {
	try {
		return { ok: true, result: verifyPdf(input.bytes, { trustedRoots: input.trustedRoots, revoked: input.revoked, maxBytes: input.maxBytes }) };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'MALFORMED_PDF' };
	}
}

export type UploadCheck =
	| { ok: true; pages: number }
	| { ok: false; reason: 'notPdf' }
	| { ok: false; reason: 'inflation'; limitBytes: number }
	| { ok: false; reason: 'unmeasurable' };

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/**
 * An uploaded document: `%PDF-`, then the bounded inflation scan, and only then pdf-lib (which inflates object
 * streams without any limit), which must find at least one page. Encrypted PDFs are accepted: readers open them.
 */
export async function checkUploadJob(input: { bytes: Uint8Array }): Promise<UploadCheck> {
	const { bytes } = input;
	if (bytes.length < PDF_MAGIC.length || !Buffer.from(bytes.subarray(0, PDF_MAGIC.length)).equals(PDF_MAGIC)) return { ok: false, reason: 'notPdf' };
	const scan = await scanInflation(bytes, INFLATION_LIMITS);
	if (!scan.ok) return scan.reason === 'tooLarge' ? { ok: false, reason: 'inflation', limitBytes: scan.limitBytes } : { ok: false, reason: 'unmeasurable' };
	let pages = 0;
	try {
		const doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
		// pdf-lib is lenient: a header followed by garbage "loads" as an empty document. A paper has pages.
		pages = doc.getPageCount();
	} catch {
		pages = 0;
	}
	return pages < 1 ? { ok: false, reason: 'notPdf' } : { ok: true, pages };
}

/** A signing key and its certificates as plain bytes (a KeyObject and forge objects do not cross threads as they are). */
export interface KeyMaterial {
	/** PKCS#8 DER of the private key. */
	key: Uint8Array;
	/** DER: the signer's certificate first, then its chain. */
	certificates: Uint8Array[];
}

/**
 * A signing key as stored: encrypted PKCS#8 (signing/key-store.ts) with its certificates, or a PKCS#12 written by an
 * earlier version, converted the first time it is opened (app/lib/server/resolutions/pki.ts).
 */
export type StoredKey = { format: 'pkcs8'; sealedKey: Uint8Array; /** DER, signer first. */ certificates: Uint8Array[] } | { format: 'pkcs12'; p12: Uint8Array };

export type UnlockKeyOutput =
	| { ok: true; material: KeyMaterial; /** A PKCS#12 store's key sealed as encrypted PKCS#8, under the same passphrase. */ converted?: Uint8Array }
	| { ok: false; code: string };

function materialOf(identity: SigningIdentity): KeyMaterial {
	return {
		key: new Uint8Array(identity.privateKey.export({ type: 'pkcs8', format: 'der' })),
		certificates: [identity.certificate, ...identity.chain].map((c) => new Uint8Array(certificateToDer(c)))
	};
}

/**
 * Opens a stored key (600,000 PBKDF2 iterations: about half a second of CPU, which must not hold the event loop); a
 * wrong passphrase comes back as its code. A PKCS#12 store is sealed again as encrypted PKCS#8 once its passphrase
 * has opened it: only then can it be, since the passphrase is not kept.
 */
export function unlockKeyJob(input: { stored: StoredKey; passphrase: string }): UnlockKeyOutput {
	try {
		if (input.stored.format === 'pkcs8') {
			const privateKey = openKey(input.stored.sealedKey, input.passphrase);
			return { ok: true, material: { key: new Uint8Array(privateKey.export({ type: 'pkcs8', format: 'der' })), certificates: input.stored.certificates } };
		}
		const identity = openStoredPkcs12(input.stored.p12, input.passphrase);
		return { ok: true, material: materialOf(identity), converted: new Uint8Array(sealKey(identity.privateKey, input.passphrase)) };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'INVALID_PKCS12' };
	}
}

/** Seals a key under `passphrase` as encrypted PKCS#8 (the same key derivation cost as opening one). */
export function lockKeyJob(input: { key: Uint8Array; passphrase: string }): Uint8Array {
	const key = crypto.createPrivateKey({ key: Buffer.from(input.key), format: 'der', type: 'pkcs8' });
	return new Uint8Array(sealKey(key, input.passphrase));
}

export type ImportKeyOutput = { ok: true; material: KeyMaterial; sealedKey: Uint8Array | null } | { ok: false; code: string };

/**
 * A PKCS#12 from a certification authority, read with forge (pure JavaScript, and a hostile file may ask for any
 * iteration count: the pool's time budget bounds it), checked for signing, its key sealed under `newPassphrase`;
 * with `newPassphrase` null, only opened and checked.
 */
export function importKeyJob(input: { p12: Uint8Array; passphrase: string; newPassphrase: string | null; now: Date; revokedSerials: string[] }): ImportKeyOutput {
	try {
		if (input.newPassphrase === null) return { ok: true, material: materialOf(fromPkcs12(input.p12, input.passphrase)), sealedKey: null };
		const { identity, sealedKey } = importExternalPkcs12(input.p12, input.passphrase, { newPassphrase: input.newPassphrase, now: input.now, revokedSerials: input.revokedSerials });
		return { ok: true, material: materialOf(identity), sealedKey: new Uint8Array(sealedKey) };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'INVALID_PKCS12' };
	}
}

/** Test only: occupies the worker for `ms` (a stand-in for a hostile file), to prove the time budget. */
export function spinJob(input: { ms: number }): { spunMs: number } {
	const end = Date.now() + input.ms;
	while (Date.now() < end) {
		// busy on purpose
	}
	return { spunMs: input.ms };
}

export type TokenJobOutput<T> = { ok: true; value: T } | { ok: false; code: string };

/** A PKCS#11 call (synchronous in pkcs11js: see signing/signer-pkcs11.ts), its refusal as a code. Run by tokens.ts only. */
function tokenJob<T>(run: () => T): TokenJobOutput<T> {
	try {
		return { ok: true, value: run() };
	} catch (err) {
		return { ok: false, code: isSigningError(err) ? err.code : 'TOKEN_FAILED' };
	}
}

export const tokenGenerateJob = (input: { location: Pkcs11Location; pin: string }) => tokenJob(() => new Uint8Array(pkcs11GenerateKey(input.location, input.pin).spki));
export const tokenPublicKeyJob = (input: { location: Pkcs11Location; pin: string }) => tokenJob(() => new Uint8Array(pkcs11PublicKey(input.location, input.pin).spki));
export const tokenSignJob = (input: { location: Pkcs11Location; pin: string; data: Uint8Array }) => tokenJob(() => new Uint8Array(pkcs11Sign(input.location, input.pin, input.data)));
export const tokenProtectionJob = (input: { location: Pkcs11Location; pin: string }) => tokenJob(() => pkcs11PrivateKeyProtection(input.location, input.pin));

export const tasks = {
	tokenGenerate: tokenGenerateJob,
	tokenPublicKey: tokenPublicKeyJob,
	tokenSign: tokenSignJob,
	tokenProtection: tokenProtectionJob,
	verify: verifyJob, checkUpload: checkUploadJob, unlockKey: unlockKeyJob, lockKey: lockKeyJob, importKey: importKeyJob, spin: spinJob };
export type TaskName = keyof typeof tasks;
export type TaskInput<K extends TaskName> = Parameters<(typeof tasks)[K]>[0];
export type TaskOutput<K extends TaskName> = Awaited<ReturnType<(typeof tasks)[K]>>;
