import { createHmac } from 'node:crypto';
import { receiptFromBytes } from '../domain/receipt';
import { serverKey } from '../secrets';

/**
 * The HMAC key of receipts and participation hashes (secrets.ts, purpose 'ballot-receipts'): kept OUT of the
 * database, so that a dump alone cannot recompute the link between a retried secret ballot and its receipt.
 * Several instances must share it (SERVER_SECRET, or BALLOT_SECRET where it was set before).
 */
function mac(...parts: string[]): Buffer {
	return createHmac('sha256', serverKey('ballot-receipts')).update(parts.join('\u0000')).digest();
}

/** A receipt derived from the client's idempotency key: a retry gets the same receipt back, nothing stored. */
export function receiptFromKey(voteId: string, idempotencyKey: string): string {
	return receiptFromBytes(mac('receipt', voteId, idempotencyKey));
}

/** What the participation record keeps of an idempotency key: enough to recognise a retry, nothing more. */
export function idempotencyHash(voteId: string, userId: string, idempotencyKey: string): string {
	return mac('participation', voteId, userId, idempotencyKey).toString('hex');
}
