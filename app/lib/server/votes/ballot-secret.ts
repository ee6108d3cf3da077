import { createHmac } from 'node:crypto';
import { receiptFromBytes } from '../domain/receipt';
import { secretFile } from '../secret-file';

let cached: Buffer | undefined;

/**
 * A server secret kept OUT of the database (BALLOT_SECRET, or a file beside the embedded data), so that a
 * database dump alone cannot recompute the link between a retried secret ballot and its receipt.
 * Several instances must share it: set BALLOT_SECRET for them.
 */
export function ballotSecret(): Buffer {
	if (cached) return cached;
	if (process.env.BALLOT_SECRET) return (cached = Buffer.from(process.env.BALLOT_SECRET, 'utf8'));
	return (cached = Buffer.from(secretFile('ballot.key'), 'utf8'));
}

function mac(...parts: string[]): Buffer {
	return createHmac('sha256', ballotSecret()).update(parts.join('\u0000')).digest();
}

/** A receipt derived from the client's idempotency key: a retry gets the same receipt back, nothing stored. */
export function receiptFromKey(voteId: string, idempotencyKey: string): string {
	return receiptFromBytes(mac('receipt', voteId, idempotencyKey));
}

/** What the participation record keeps of an idempotency key: enough to recognise a retry, nothing more. */
export function idempotencyHash(voteId: string, userId: string, idempotencyKey: string): string {
	return mac('participation', voteId, userId, idempotencyKey).toString('hex');
}
