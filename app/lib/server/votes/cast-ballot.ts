import type { Db } from '../../../../db/client.js';
import { batcherFor } from './cast-batch';
import type { CastInput, CastResult } from './cast-types';

export type { CastInput, CastResult } from './cast-types';

/**
 * Counts a delegate's ballot exactly once. The database enforces one ballot per delegate and vote (primary
 * keys); every cast is ordered against the close by the sitting's chain head or its lock; a retry with the same
 * idempotency key gets the first answer back.
 *
 * One way: the instance's batcher (cast-batch.ts) takes every cast. An open ballot goes in a group, without
 * holding any lock across round trips: decided on its sitting's facts as read for the group, written in one
 * statement that applies only if the sitting's chain head is still the one read. Every change of a sitting (a
 * close, an attendance change, another ballot) moves that head, so a write that applies was decided on current
 * facts. Secret ballots, and open ones whose sitting moved under three groups, are cast under the sitting's lock
 * (cast-locked.ts). Either way a cast is read (voting-facts.ts), decided (batch-plan.ts) and, if open, written
 * (write-ballots.ts) the same way.
 */
export function castBallot(db: Db, input: CastInput): Promise<CastResult> {
	return batcherFor(db).cast(input);
}
