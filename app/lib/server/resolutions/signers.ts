/**
 * How a chair signs (issue 18 §3): with the key the server keeps under their passphrase (the default, and the demo's),
 * with a key on a PKCS#11 token, or through a remote signing service. The choice is the person's, stored in
 * `user_signers` (migration 0013); the token's module and the service's address are the operator's
 * (PKCS11_MODULE, REMOTE_SIGNER_URL): a user never makes the server load a library or call an address of their
 * choosing. This file turns the choice into a Signer (signing/signer.ts) for the signing path of service.ts.
 */
import type { Db } from '../../../../db/client.js';
import type { SignerMethod } from '../../../../db/schema.js';
import {
	certificateFromDer,
	certificateToDer,
	checkCertificateUsable,
	issueCertificateForKey,
	normalizeSerial,
	keySigner,
	openRemoteSigner,
	type Signer
} from '../../../../signing/index';
import { pkcs11Signer, type Pkcs11Location } from '../../../../signing/signer-pkcs11';
import { AppError } from '../errors';
import { runTokenJob } from '../pdf-jobs/tokens';
import type { Trx } from '../sittings/events';
import { councilCa, openSigningIdentity, revokedSerials } from './pki';
import { openSecret, sealSecret } from './secret';

type Q = Db | Trx;

export const SIGNER_METHODS = ['server', 'pkcs11', 'remote'] as const satisfies readonly SignerMethod[];

/** The operator's PKCS#11 module (the token vendor's .so), or null when tokens are not offered. */
export function pkcs11Module(): string | null {
	return process.env.PKCS11_MODULE || null;
}

/** The operator's remote signing service (docs/api.md, "Remote signing service"), or null when not offered. */
export function remoteSignerUrl(): string | null {
	return process.env.REMOTE_SIGNER_URL || null;
}

const remoteTokenAad = (userId: string) => `remote-signer:${userId}`;

/** The person's choice, what the server offers, and the token certificates the councils' CAs issued them. */
export async function signerSettings(db: Db, userId: string) {
	const row = await db.selectFrom('user_signers').select(['method', 'token_label', 'key_label']).where('user_id', '=', userId).executeTakeFirst();
	const certs = await db
		.selectFrom('token_certificates')
		.select(['council_id', 'token_label', 'key_label', 'serial', 'not_after'])
		.where('user_id', '=', userId)
		.where('revoked_at', 'is', null)
		.orderBy('created_at')
		.execute();
	return {
		method: (row?.method ?? 'server') as SignerMethod,
		tokenLabel: row?.token_label ?? null,
		keyLabel: row?.key_label ?? null,
		offered: { server: true, pkcs11: pkcs11Module() !== null, remote: remoteSignerUrl() !== null },
		tokenCertificates: certs.map((c) => ({ councilId: c.council_id, tokenLabel: c.token_label, keyLabel: c.key_label, serial: c.serial, notAfter: c.not_after.toISOString() }))
	};
}

export type SetSignerInput =
	| { method: 'server' }
	| { method: 'pkcs11'; councilId: string; tokenLabel: string; keyLabel: string; pin: string; generateKey: boolean }
	| { method: 'remote'; remoteToken: string };

/**
 * Sets how the person signs. For a token: its key is generated on the token (`generateKey`) or found there, and
 * the council's CA certifies its public key (the token is asked with the PIN, in the token worker); the previous
 * certificate for the same key and council is revoked. For a remote service: the bearer token must be accepted by
 * the service (it is asked for its certificate) before it is stored, sealed. Nothing is stored when a step fails.
 */
export async function setSigner(db: Db, userId: string, input: SetSignerInput, now = new Date()) {
	if (input.method === 'server') {
		await upsert(db, userId, { method: 'server', token_label: null, key_label: null, remote_token_enc: null });
		return signerSettings(db, userId);
	}
	if (input.method === 'remote') {
		const url = remoteSignerUrl();
		if (!url) throw new AppError('PRECONDITION_FAILED', 'signer.remoteNotOffered');
		await openRemoteSigner({ url, token: input.remoteToken });
		await upsert(db, userId, { method: 'remote', token_label: null, key_label: null, remote_token_enc: sealSecret(Buffer.from(input.remoteToken, 'utf8'), remoteTokenAad(userId)) });
		return signerSettings(db, userId);
	}
	const module = pkcs11Module();
	if (!module) throw new AppError('PRECONDITION_FAILED', 'signer.pkcs11NotOffered');
	const location: Pkcs11Location = { module, tokenLabel: input.tokenLabel, keyLabel: input.keyLabel };
	const spki = await runTokenJob<'tokenGenerate' | 'tokenPublicKey', Uint8Array>(input.generateKey ? 'tokenGenerate' : 'tokenPublicKey', { location, pin: input.pin });
	await db.transaction().execute(async (trx) => {
		const ca = await councilCa(trx, input.councilId);
		const council = await trx.selectFrom('councils').select('name').where('id', '=', input.councilId).executeTakeFirstOrThrow();
		const user = await trx.selectFrom('users').select(['full_name', 'email']).where('id', '=', userId).executeTakeFirstOrThrow();
		const validTo = new Date(now);
		validTo.setUTCFullYear(validTo.getUTCFullYear() + 2);
		const { certificate, chain } = issueCertificateForKey(ca, spki, {
			commonName: user.full_name,
			title: 'Chủ tịch Hội đồng nhân dân',
			organization: `Hội đồng nhân dân ${council.name}`,
			validFrom: new Date(now.getTime() - 60_000),
			validTo,
			...(user.email ? { email: user.email } : {})
		});
		await trx
			.updateTable('token_certificates')
			.set({ revoked_at: now })
			.where('user_id', '=', userId)
			.where('council_id', '=', input.councilId)
			.where('token_label', '=', input.tokenLabel)
			.where('key_label', '=', input.keyLabel)
			.where('revoked_at', 'is', null)
			.execute();
		await trx
			.insertInto('token_certificates')
			.values({
				user_id: userId,
				council_id: input.councilId,
				token_label: input.tokenLabel,
				key_label: input.keyLabel,
				certificate: certificateToDer(certificate),
				chain: chain.map((c) => certificateToDer(c)),
				serial: normalizeSerial(certificate.serialNumber),
				not_after: certificate.validity.notAfter
			})
			.execute();
		await upsert(trx, userId, { method: 'pkcs11', token_label: input.tokenLabel, key_label: input.keyLabel, remote_token_enc: null });
	});
	return signerSettings(db, userId);
}

async function upsert(q: Q, userId: string, v: { method: SignerMethod; token_label: string | null; key_label: string | null; remote_token_enc: Uint8Array | null }) {
	await q
		.insertInto('user_signers')
		.values({ user_id: userId, ...v })
		.onConflict((oc) => oc.column('user_id').doUpdateSet({ ...v, updated_at: new Date() }))
		.execute();
}

/**
 * The chair's signer for a signature in `councilId`, as they chose it. `secret` is the passphrase of the key kept
 * here, or the token's PIN; a remote service needs none (its bearer token is stored). The organisation's seal is
 * always the key kept here.
 */
export async function signerFor(trx: Trx, opts: { userId: string; councilId: string; kind: 'person' | 'organisation'; secret: string; now: Date }): Promise<Signer> {
	const row =
		opts.kind === 'person'
			? await trx.selectFrom('user_signers').select(['method', 'token_label', 'key_label', 'remote_token_enc']).where('user_id', '=', opts.userId).executeTakeFirst()
			: undefined;
	if (!row || row.method === 'server') {
		const identity = await openSigningIdentity(trx, { userId: opts.userId, councilId: opts.councilId, kind: opts.kind, passphrase: opts.secret, now: opts.now });
		return keySigner(identity.privateKey, identity.certificate, identity.chain);
	}
	if (row.method === 'remote') {
		const url = remoteSignerUrl();
		if (!url || !row.remote_token_enc) throw new AppError('PRECONDITION_FAILED', 'signer.remoteNotOffered');
		return openRemoteSigner({ url, token: openSecret(row.remote_token_enc, remoteTokenAad(opts.userId)).toString('utf8') });
	}
	const module = pkcs11Module();
	if (!module || !row.token_label || !row.key_label) throw new AppError('PRECONDITION_FAILED', 'signer.pkcs11NotOffered');
	const cert = await trx
		.selectFrom('token_certificates')
		.select(['certificate', 'chain'])
		.where('user_id', '=', opts.userId)
		.where('council_id', '=', opts.councilId)
		.where('token_label', '=', row.token_label)
		.where('key_label', '=', row.key_label)
		.where('revoked_at', 'is', null)
		.executeTakeFirst();
	if (!cert) throw new AppError('PRECONDITION_FAILED', 'signer.noTokenCertificate');
	const certificate = certificateFromDer(cert.certificate);
	checkCertificateUsable(certificate, opts.now, await revokedSerials(trx));
	const location: Pkcs11Location = { module, tokenLabel: row.token_label, keyLabel: row.key_label };
	const pin = opts.secret;
	return pkcs11Signer({
		certificate,
		chain: cert.chain.map((c) => certificateFromDer(c)),
		sign: (data) => runTokenJob<'tokenSign', Uint8Array>('tokenSign', { location, pin, data })
	});
}
