import { sql } from 'kysely';
import type { Db } from '../../db/client.js';
import { chainHash, GENESIS } from '../../app/lib/server/domain/hash-chain';
import { ballotsDigest } from '../../app/lib/server/votes/ballots-digest';

/**
 * The insider's rewrite of issue 17 ("History can be rewritten"), on a closed open vote of 17 yes and 3 no: flip the
 * three "no" ballots, patch the stored result, recompute the ballots' digest into the close event and re-link every
 * hash. `dropAnchors` also removes the signed heads the chain holds (they cannot be re-signed without the council's
 * key); the vote's anchor must be the chain's last event then, so that no event has to be renumbered.
 */
export async function rewriteHistory(db: Db, sittingId: string, voteId: string, dropAnchors: boolean) {
	await sql`update open_ballots set choice = '"yes"' where vote_id = ${voteId} and choice = '"no"'`.execute(db);
	await sql`update votes set result = result || '{"yes": 20, "no": 0}'::jsonb where id = ${voteId}`.execute(db);
	const digest = await ballotsDigest(db, voteId, 'open');
	await sql`update sitting_events set payload = jsonb_set(jsonb_set(jsonb_set(payload, '{ballotsDigest}', to_jsonb(${digest}::text)), '{result,yes}', '20'), '{result,no}', '0')
		where sitting_id = ${sittingId} and type = 'vote.closed' and payload->>'voteId' = ${voteId}`.execute(db);
	if (dropAnchors) await sql`delete from sitting_events where sitting_id = ${sittingId} and type = 'chain.anchor'`.execute(db);
	const events = () => db.selectFrom('sitting_events').select(['seq', 'type', 'payload', 'created_at']).where('sitting_id', '=', sittingId).orderBy('seq').execute();
	let prev = GENESIS;
	const rows = await events();
	for (const e of rows) {
		const hash = chainHash(prev, { seq: Number(e.seq), type: e.type, payload: e.payload, createdAt: e.created_at });
		await sql`update sitting_events set prev_hash = ${prev}, hash = ${hash} where sitting_id = ${sittingId} and seq = ${e.seq}`.execute(db);
		prev = hash;
	}
	await sql`update sittings set head_hash = ${prev}, last_seq = ${rows.length} where id = ${sittingId}`.execute(db);
}
