import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { SigningIdentityKind } from '../../../../db/schema.js';
import {
	certificateFromDer,
	certificateToDer,
	certificateToPem,
	checkCertificateUsable,
	createRootCa,
	generateRsaKeyPairAsync,
	issuePersonCertificate,
	normalizeSerial,
	SigningError,
	type CertificateAuthority,
	type SigningErrorCode,
	type SigningIdentity
} from '../../../../signing/index';
import { AppError } from '../errors';
import { pdfJobs } from '../pdf-jobs/pool';
import { WorkerJobError } from '../worker-pool/pool';
import type { KeyMaterial, StoredKey } from '../pdf-jobs/tasks';
import type { Trx } from '../sittings/events';
import { crlUrl } from './origin';
import { openSecret, sealSecret } from './secret';

type Q = Db | Trx;

/** Demo mode: certificates issued on first use are protected by the demo password (chair.26743 signs with `demo`). */
export function demoPassphrase(): string | null {
	if (process.env.DEMO === '0') return null;
	return process.env.DEMO_PASSWORD ?? 'demo';
}

interface CouncilNames {
	id: string;
	name: string;
}

async function council(q: Q, councilId: string): Promise<CouncilNames> {
	return q.selectFrom('councils').select(['id', 'name']).where('id', '=', councilId).executeTakeFirstOrThrow();
}

/** The council's CA, created on first use. Concurrent first uses agree on one (insert … on conflict do nothing). */
export async function councilCa(q: Q, councilId: string): Promise<CertificateAuthority> {
	let row = await q.selectFrom('council_cas').select(['certificate', 'private_key_enc']).where('council_id', '=', councilId).executeTakeFirst();
	if (!row) {
		const c = await council(q, councilId);
		const ca = createRootCa({ commonName: `CA HĐND ${c.name}`, organization: `Hội đồng nhân dân ${c.name}`, validYears: 10 }, await generateRsaKeyPairAsync());
		const keyDer = ca.privateKey.export({ type: 'pkcs8', format: 'der' });
		await q
			.insertInto('council_cas')
			.values({ council_id: councilId, certificate: certificateToDer(ca.certificate), private_key_enc: sealSecret(keyDer, `ca:${councilId}`) })
			.onConflict((oc) => oc.column('council_id').doNothing())
			.execute();
		row = await q.selectFrom('council_cas').select(['certificate', 'private_key_enc']).where('council_id', '=', councilId).executeTakeFirstOrThrow();
	}
	const privateKey = crypto.createPrivateKey({ key: openSecret(row.private_key_enc, `ca:${councilId}`), format: 'der', type: 'pkcs8' });
	return { certificate: certificateFromDer(row.certificate), privateKey };
}

/** PEM of a council's CA certificate (for validators), or null when the council has none yet. */
export async function councilCaPem(db: Db, councilId: string): Promise<string | null> {
	const row = await db.selectFrom('council_cas').select('certificate').where('council_id', '=', councilId).executeTakeFirst();
	return row ? certificateToPem(certificateFromDer(row.certificate)) : null;
}

/** Every CA certificate the app issued: the trust anchors of verification. */
export async function trustedRoots(db: Db): Promise<Uint8Array[]> {
	return (await db.selectFrom('council_cas').select('certificate').execute()).map((r) => r.certificate);
}

/** Every revoked signing certificate and when it was revoked, for the verifier (a timestamp before it still counts). */
export async function revocations(q: Q): Promise<{ serial: string; revokedAt: Date }[]> {
	const rows = await q.selectFrom('signing_identities').select(['serial', 'revoked_at']).where('revoked_at', 'is not', null).execute();
	return rows.map((r) => ({ serial: r.serial, revokedAt: r.revoked_at! }));
}

export async function revokedSerials(q: Q): Promise<string[]> {
	return (await q.selectFrom('signing_identities').select('serial').where('revoked_at', 'is not', null).execute()).map((r) => r.serial);
}

/** Stores a sealed key (encrypted PKCS#8) and its certificates as the user's current identity, revoking the previous. */
async function storeIdentity(q: Q, userId: string, councilId: string, kind: SigningIdentityKind, identity: SigningIdentity, sealedKey: Uint8Array, external: boolean) {
	await q.updateTable('signing_identities').set({ revoked_at: sql<Date>`now()` }).where('user_id', '=', userId).where('council_id', '=', councilId).where('kind', '=', kind).where('revoked_at', 'is', null).execute();
	await q
		.insertInto('signing_identities')
		.values({
			user_id: userId,
			council_id: councilId,
			kind,
			certificate: certificateToDer(identity.certificate),
			private_key: sealedKey,
			chain: identity.chain.map((c) => certificateToDer(c)),
			serial: normalizeSerial(identity.certificate.serialNumber),
			not_before: identity.certificate.validity.notBefore,
			not_after: identity.certificate.validity.notAfter,
			external
		})
		.execute();
}

/**
 * Opens the signer's identity with the passphrase. With none stored, issues one from the council's CA (demo mode:
 * protected by the demo password): personal for the chair, the council's organisation certificate for the clerk.
 * Refuses a wrong passphrase, and a certificate that is expired, not yet valid or revoked.
 */
export async function openSigningIdentity(
	trx: Trx,
	opts: { userId: string; councilId: string; kind: SigningIdentityKind; passphrase: string; now: Date }
): Promise<SigningIdentity> {
	const row: StoredRow | undefined = await trx
		.selectFrom('signing_identities')
		.select(['id', 'certificate', 'pkcs12', 'private_key', 'chain'])
		.where('user_id', '=', opts.userId)
		.where('council_id', '=', opts.councilId)
		.where('kind', '=', opts.kind)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	let identity: SigningIdentity;
	if (!row) {
		const pass = demoPassphrase();
		if (!pass) throw new AppError('PRECONDITION_FAILED', 'resolution.noCertificate');
		// The key about to be issued is sealed under the demo password: any other passphrase is wrong, as it would be
		// at the next signature, and is refused before anything is issued.
		if (!samePassphrase(opts.passphrase, pass)) throw new SigningError('WRONG_PASSPHRASE');
		const ca = await councilCa(trx, opts.councilId);
		const c = await council(trx, opts.councilId);
		const user = await trx.selectFrom('users').select(['full_name', 'email']).where('id', '=', opts.userId).executeTakeFirstOrThrow();
		const validFrom = new Date(opts.now.getTime() - 60_000);
		const validTo = new Date(opts.now);
		validTo.setUTCFullYear(validTo.getUTCFullYear() + 2);
		identity = issuePersonCertificate(ca, {
			commonName: opts.kind === 'organisation' ? `Hội đồng nhân dân ${c.name}` : user.full_name,
			title: opts.kind === 'organisation' ? undefined : 'Chủ tịch Hội đồng nhân dân',
			organization: `Hội đồng nhân dân ${c.name}`,
			validFrom,
			validTo,
			crlUrl: crlUrl(opts.councilId),
			...(user.email ? { email: user.email } : {})
		}, await generateRsaKeyPairAsync());
		const sealedKey = await keyJob(() => pdfJobs().run('lockKey', { key: new Uint8Array(identity.privateKey.export({ type: 'pkcs8', format: 'der' })), passphrase: pass }));
		await storeIdentity(trx, opts.userId, opts.councilId, opts.kind, identity, sealedKey, false);
	} else {
		identity = await unlockIdentity(trx, row, opts.passphrase);
	}
	checkCertificateUsable(identity.certificate, opts.now, await revokedSerials(trx));
	return identity;
}

function samePassphrase(a: string, b: string): boolean {
	const digest = (x: string) => crypto.createHash('sha256').update(x, 'utf8').digest();
	return crypto.timingSafeEqual(digest(a), digest(b));
}

/** A key job in the worker pool; a full pool or a stuck job is "busy, try again", never a stall of the server. */
async function keyJob<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (err) {
		if (err instanceof WorkerJobError) throw new AppError('SERVICE_UNAVAILABLE', 'resolution.signingBusy');
		throw err;
	}
}

interface StoredRow {
	id: string;
	certificate: Uint8Array;
	pkcs12: Uint8Array | null;
	private_key: Uint8Array | null;
	chain: Uint8Array[] | null;
}

function identityFromMaterial(material: KeyMaterial): SigningIdentity {
	const [certificate, ...chain] = material.certificates.map((der) => certificateFromDer(der));
	return { privateKey: crypto.createPrivateKey({ key: Buffer.from(material.key), format: 'der', type: 'pkcs8' }), certificate, chain };
}

/**
 * Opens a stored key off the event loop (its key derivation costs about half a second of CPU). A key still stored
 * as PKCS#12 (written before migration 0010) is converted here, the first time its passphrase opens it: the worker
 * seals it as encrypted PKCS#8 under the same passphrase, and the row keeps that instead (in the caller's
 * transaction: if the signature fails after all, the conversion simply happens at the next one).
 */
async function unlockIdentity(trx: Trx, row: StoredRow, passphrase: string): Promise<SigningIdentity> {
	const stored: StoredKey =
		row.private_key && row.chain
			? { format: 'pkcs8', sealedKey: row.private_key, certificates: [row.certificate, ...row.chain] }
			: { format: 'pkcs12', p12: row.pkcs12! };
	const out = await keyJob(() => pdfJobs().run('unlockKey', { stored, passphrase }));
	if (!out.ok) throw new SigningError(out.code as SigningErrorCode);
	const identity = identityFromMaterial(out.material);
	if (out.converted) {
		await trx
			.updateTable('signing_identities')
			.set({ private_key: out.converted, chain: identity.chain.map((c) => certificateToDer(c)), pkcs12: null })
			.where('id', '=', row.id)
			.where('pkcs12', 'is not', null)
			.execute();
	}
	return identity;
}

/**
 * The shortest passphrase a person may set on a signing key stored here. The stored key is what a database dump
 * would expose to offline guessing, and its KDF cost (signing/key-store.ts KEY_STORE_ITERATIONS) only helps a passphrase that
 * is not in the first few million guesses. The demo certificates issued on first use keep the operator's demo
 * password (`demo`): that is configuration for demonstrations, not a passphrase a person chose.
 */
export const MIN_KEY_PASSPHRASE_LENGTH = 8;

function tooShort(passphrase: string): boolean {
	return [...passphrase].length < MIN_KEY_PASSPHRASE_LENGTH || passphrase.trim() === '';
}

/**
 * Imports a PKCS#12 from a certification authority as the person's signing identity (replacing the current one),
 * stored under `newPassphrase`, or under the file's own passphrase when none is given; either must be at least
 * MIN_KEY_PASSPHRASE_LENGTH characters.
 */
export async function importCertificate(db: Db, opts: { userId: string; councilId: string; kind: SigningIdentityKind; p12: Uint8Array; passphrase: string; newPassphrase?: string }) {
	const stored = opts.newPassphrase ?? opts.passphrase;
	const short = tooShort(stored);
	if (short && opts.newPassphrase !== undefined) throw new AppError('BAD_REQUEST', 'resolution.passphraseTooShort', { min: MIN_KEY_PASSPHRASE_LENGTH });
	// Read with forge and sealed in the worker pool. With a short passphrase of its own, the file is only opened: its
	// passphrase is judged first, so a wrong one is answered as wrong, not as short.
	const revoked = await revokedSerials(db);
	const out = await keyJob(() => pdfJobs().run('importKey', { p12: opts.p12, passphrase: opts.passphrase, newPassphrase: short ? null : stored, now: new Date(), revokedSerials: revoked }));
	if (!out.ok) throw new SigningError(out.code as SigningErrorCode);
	const sealedKey = out.sealedKey;
	if (!sealedKey) throw new AppError('BAD_REQUEST', 'resolution.passphraseTooShort', { min: MIN_KEY_PASSPHRASE_LENGTH });
	const identity = identityFromMaterial(out.material);
	await db.transaction().execute((trx) => storeIdentity(trx, opts.userId, opts.councilId, opts.kind, identity, sealedKey, true));
	return { serial: normalizeSerial(identity.certificate.serialNumber), notAfter: identity.certificate.validity.notAfter };
}
