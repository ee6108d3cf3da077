import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors';

// Secret ballots (docs/domain.md): nobody, the administrator included, may link a delegate to a choice.
// The ballot row carries a random id and a receipt code the delegate alone sees, so they can check
// that their ballot was counted; neither may be derived from the delegate, time or order of casting.

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is hard to get wrong.
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 12; // 60 random bits

function format(code: string): string {
	return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/**
 * XXXX-XXXX-XXXX from the first 12 bytes given (random, or an HMAC for a receipt derived from an idempotency
 * key). Each byte's low 5 bits: 256 is a multiple of 32, so every symbol is equally likely.
 */
export function receiptFromBytes(bytes: Uint8Array): string {
	let code = '';
	for (let i = 0; i < LENGTH; i++) code += CROCKFORD[bytes[i] & 0x1f];
	return format(code);
}

export function newReceiptCode(): string {
	return receiptFromBytes(randomBytes(LENGTH));
}

/**
 * What a delegate types back, in the canonical XXXX-XXXX-XXXX form: any case, spaces and dashes ignored,
 * O read as 0 and I/L as 1 (Crockford's decoding rules). Anything else is INVALID_RECEIPT.
 */
export function normaliseReceipt(input: string): string {
	if (typeof input !== 'string') throw new DomainError('INVALID_RECEIPT');
	const compact = input
		.normalize('NFKC') // full-width characters from some Vietnamese input methods become ASCII
		.toUpperCase()
		.replace(/[\s\-\u2010-\u2015]/g, '')
		.replace(/O/g, '0')
		.replace(/[IL]/g, '1');
	if (compact.length !== LENGTH || [...compact].some((ch) => !CROCKFORD.includes(ch))) {
		throw new DomainError('INVALID_RECEIPT');
	}
	return format(compact);
}

/** A random UUID v4 for a secret ballot: never sequential, so ids reveal nothing about the order of voting. */
export function newBallotId(): string {
	return randomUUID();
}
