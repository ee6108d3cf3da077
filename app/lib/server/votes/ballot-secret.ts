import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { receiptFromBytes } from '../domain/receipt';

let cached: Buffer | undefined;

/**
 * A server secret kept OUT of the database (BALLOT_SECRET, or a file beside the embedded data), so that a
 * database dump alone cannot recompute the link between a retried secret ballot and its receipt.
 * Several instances must share it: set BALLOT_SECRET for them.
 */
export function ballotSecret(): Buffer {
	if (cached) return cached;
	if (process.env.BALLOT_SECRET) return (cached = Buffer.from(process.env.BALLOT_SECRET, 'utf8'));
	const file = path.resolve(process.env.DATA_DIR ?? '.data', 'secrets', 'ballot.key');
	if (!existsSync(file)) {
		mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
		try {
			writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600, flag: 'wx' });
		} catch (err) {
			if ((err as { code?: string }).code !== 'EEXIST') throw err; // another process wrote it first
		}
	}
	return (cached = Buffer.from(readFileSync(file, 'utf8').trim(), 'utf8'));
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
