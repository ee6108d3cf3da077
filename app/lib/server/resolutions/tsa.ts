import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { certificateFromDer, certificateToDer } from '../../../../signing/index';
import { issueTsaCertificate, requestTimestamp, respondToTimestampRequest, type TimestampAuthority } from '../../../../signing/tsa';
import { crlUrl } from './origin';
import { councilCa } from './pki';
import { openSecret, sealSecret } from './secret';

/**
 * The city's RFC 3161 timestamp authority (PAdES B-T), served as POST /api/tsa and used in-process when resolutions
 * are signed.
 *
 * Its certificate is issued under the city council's CA (the council of kind 'city', whose CA is created on first use
 * like every council's): that CA is already a trust anchor of verification (pki.ts trustedRoots), so the timestamps
 * are trusted wherever the city's signatures are, and no second root has to be distributed. Its private key is kept
 * like the CAs' keys: sealed with AES-256-GCM under CA_KEY_SECRET (or DATA_DIR/secrets/ca.key), bound to its row.
 */

const DAY_MS = 86_400_000;
/** A TSA key signs tokens all day long; it is replaced every few years, and a month before its certificate ends. */
const TSA_VALID_YEARS = 3;
const RENEW_BEFORE_MS = 30 * DAY_MS;
/** A class of pg_advisory_xact_lock(int, int) of its own, beside the login and passphrase limits' (0x4e540001–3). */
const TSA_LOCK = 0x4e540004;
/** The largest TimeStampReq /api/tsa reads; a real one is under 100 bytes. */
export const TSA_MAX_REQUEST_BYTES = 64 * 1024;

const aad = (id: string) => `tsa:${id}`;

/** One identity per database handle (the tests' databases differ), re-read when it nears its end. */
const cache = new WeakMap<Db, { tsa: TimestampAuthority; until: number }>();
const loading = new WeakMap<Db, Promise<TimestampAuthority>>();

async function load(db: Db, now: Date): Promise<TimestampAuthority | null> {
	const row = await db
		.selectFrom('tsa_identities as t')
		.innerJoin('council_cas as c', 'c.council_id', 't.issuer_council_id')
		.select(['t.id', 't.certificate', 't.private_key_enc', 'c.certificate as ca_certificate'])
		.where('t.not_after', '>', new Date(now.getTime() + RENEW_BEFORE_MS))
		.orderBy('t.created_at', 'desc')
		.limit(1)
		.executeTakeFirst();
	if (!row) return null;
	const privateKey = crypto.createPrivateKey({ key: openSecret(row.private_key_enc, aad(row.id)), format: 'der', type: 'pkcs8' });
	return { privateKey, certificate: certificateFromDer(row.certificate), chain: [certificateFromDer(row.ca_certificate)] };
}

/** Issues the TSA certificate under the city council's CA, once across instances (advisory lock, then re-read). */
async function create(db: Db, now: Date): Promise<TimestampAuthority> {
	return db.transaction().execute(async (trx) => {
		await sql`select pg_advisory_xact_lock(${TSA_LOCK}::int, 0)`.execute(trx);
		const existing = await load(trx, now);
		if (existing) return existing;
		const city = await trx.selectFrom('councils').select(['id', 'name']).where('kind', '=', 'city').orderBy('code').executeTakeFirst();
		if (!city) throw new Error('no council of kind city: the timestamp authority has no CA to be issued under');
		const ca = await councilCa(trx, city.id);
		const validTo = new Date(now);
		validTo.setUTCFullYear(validTo.getUTCFullYear() + TSA_VALID_YEARS);
		const tsa = issueTsaCertificate(ca, {
			commonName: 'Dịch vụ cấp dấu thời gian TP.HCM',
			organization: `Hội đồng nhân dân ${city.name}`,
			validFrom: new Date(now.getTime() - 60_000),
			// Never beyond the CA: a certificate that outlives its issuer's would not validate in its last years.
			validTo: validTo < ca.certificate.validity.notAfter ? validTo : ca.certificate.validity.notAfter,
			crlUrl: crlUrl(city.id)
		});
		const id = crypto.randomUUID();
		const keyDer = tsa.privateKey.export({ type: 'pkcs8', format: 'der' });
		await trx
			.insertInto('tsa_identities')
			.values({
				id,
				issuer_council_id: city.id,
				certificate: certificateToDer(tsa.certificate),
				private_key_enc: sealSecret(keyDer, aad(id)),
				not_after: tsa.certificate.validity.notAfter
			})
			.execute();
		keyDer.fill(0);
		return tsa;
	});
}

/**
 * The city's TSA identity, created on first use. Call it outside any transaction that may create the city's CA: it
 * commits its own (see signWithIdentity).
 */
export async function cityTimestampAuthority(db: Db, now = new Date()): Promise<TimestampAuthority> {
	const hit = cache.get(db);
	if (hit && now.getTime() < hit.until) return hit.tsa;
	let pending = loading.get(db);
	if (!pending) {
		pending = (async () => (await load(db, now)) ?? (await create(db, now)))();
		loading.set(db, pending);
	}
	try {
		const tsa = await pending;
		cache.set(db, { tsa, until: tsa.certificate.validity.notAfter.getTime() - RENEW_BEFORE_MS });
		return tsa;
	} finally {
		loading.delete(db);
	}
}

/** Answers a TimeStampReq (DER) with a TimeStampResp (DER): the one code path of POST /api/tsa and of signing. */
export async function answerTimestampRequest(db: Db, request: Uint8Array): Promise<Uint8Array> {
	return respondToTimestampRequest(await cityTimestampAuthority(db), request);
}

/**
 * signPdf's `timestamp` option: asks the city's TSA in-process, through answerTimestampRequest as /api/tsa does.
 * Resolves the TSA first, so that creating it never happens inside the signing transaction.
 */
export async function cityTimestamper(db: Db): Promise<(imprint: Uint8Array) => Promise<Uint8Array>> {
	await cityTimestampAuthority(db);
	return (imprint) => requestTimestamp(imprint, (req) => answerTimestampRequest(db, req));
}
