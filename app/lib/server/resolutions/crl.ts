import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { buildCrl } from '../../../../signing/crl';
import type { Trx } from '../sittings/events';
import { councilCa } from './pki';

type Q = Db | Trx;

const DAY_MS = 86_400_000;
/** A CRL promises its nextUpdate; validators refuse one past it. A week, reissued at half-way (and on revocation). */
export const CRL_VALIDITY_MS = 7 * DAY_MS;
const REISSUE_AFTER_MS = CRL_VALIDITY_MS / 2;

/** What the council CA has revoked: its own certificates only (imported ones belong to other CAs' lists). */
async function revokedByCa(q: Q, councilId: string) {
	return q
		.selectFrom('signing_identities')
		.select(['serial', 'revoked_at'])
		.where('council_id', '=', councilId)
		.where('external', '=', false)
		.where('revoked_at', 'is not', null)
		.execute();
}

/** Signs and stores a new CRL for the council's CA, numbered one past the stored one. */
async function issue(q: Q, councilId: string, now: Date, lastNumber: number): Promise<Uint8Array> {
	const ca = await councilCa(q, councilId);
	const revoked = await revokedByCa(q, councilId);
	const crlNumber = lastNumber + 1;
	const thisUpdate = new Date(now.getTime() - 1000); // a second of slack for validators' clocks
	const nextUpdate = new Date(now.getTime() + CRL_VALIDITY_MS);
	const crl = buildCrl(ca, {
		revoked: revoked.map((r) => ({
			serial: r.serial,
			revokedAt: r.revoked_at!
		})),
		thisUpdate,
		nextUpdate,
		crlNumber
	});
	const row = {
		crl,
		crl_number: crlNumber,
		revoked_count: revoked.length,
		this_update: thisUpdate,
		next_update: nextUpdate
	};
	// Two instances reissuing at once: the higher number stays, and either list is correct.
	await q
		.insertInto('council_crls')
		.values({ council_id: councilId, ...row })
		.onConflict((oc) => oc.column('council_id').doUpdateSet(row).where('council_crls.crl_number', '<', crlNumber))
		.execute();
	return crl;
}

/**
 * The council CA's current CRL (DER), reissued when it is half-way to its nextUpdate or when the CA's revoked
 * certificates are not the ones it lists. Null when the council has no CA yet (nothing to revoke, nothing to sign with).
 */
export async function councilCrl(q: Q, councilId: string, now = new Date()): Promise<Uint8Array | null> {
	const hasCa = await q.selectFrom('council_cas').select('council_id').where('council_id', '=', councilId).executeTakeFirst();
	if (!hasCa) return null;
	const row = await q
		.selectFrom('council_crls')
		.select(['crl', 'crl_number', 'revoked_count', 'this_update'])
		.where('council_id', '=', councilId)
		.executeTakeFirst();
	const { count } = await q
		.selectFrom('signing_identities')
		.select(sql<number>`count(*)::int`.as('count'))
		.where('council_id', '=', councilId)
		.where('external', '=', false)
		.where('revoked_at', 'is not', null)
		.executeTakeFirstOrThrow();
	const age = row ? now.getTime() - row.this_update.getTime() : Infinity;
	if (row && age >= 0 && age < REISSUE_AFTER_MS && row.revoked_count === count) return row.crl;
	return issue(q, councilId, now, row?.crl_number ?? 0);
}

/**
 * Revokes a signing identity (its certificate can no longer sign, and verification reports it revoked) and reissues
 * its council CA's CRL at once, so that validators fetching the list see it. Revoking twice changes nothing.
 */
export async function revokeSigningIdentity(db: Db, input: { identityId: string; now?: Date }): Promise<{ serial: string; revokedAt: Date } | null> {
	return db.transaction().execute(async (trx) => {
		const row = await trx
			.updateTable('signing_identities')
			.set({ revoked_at: input.now ?? new Date() })
			.where('id', '=', input.identityId)
			.where('revoked_at', 'is', null)
			.returning(['council_id', 'serial', 'revoked_at'])
			.executeTakeFirst();
		if (!row) return null;
		await councilCrl(trx, row.council_id, input.now);
		return { serial: row.serial, revokedAt: row.revoked_at! };
	});
}
