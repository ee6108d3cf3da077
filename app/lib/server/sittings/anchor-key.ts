import type { Db } from '../../../../db/client.js';
import { certificateFromDer } from '../../../../signing/index';
import { certificatePublicKey } from '../../../../signing/signer';

/**
 * The council's CA public key (SubjectPublicKeyInfo DER), which verifies the chain heads signed for its sittings
 * (anchor.ts); null before the council has a CA. Read from the certificate only: checking needs no secret.
 */
export async function councilAnchorKey(db: Db, councilId: string): Promise<Uint8Array<ArrayBuffer> | null> {
	const row = await db.selectFrom('council_cas').select('certificate').where('council_id', '=', councilId).executeTakeFirst();
	return row
		? new Uint8Array(
				certificatePublicKey(certificateFromDer(row.certificate)).export({
					type: 'spki',
					format: 'der'
				})
			)
		: null;
}
