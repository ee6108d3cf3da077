import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

// Tamper evidence for the record of a sitting (votes opened/closed, results, attendance): each event's
// hash covers the previous hash, so altering, removing or reordering any stored event breaks every link
// after it. A rewrite that recomputes all later hashes is caught by comparing the head with a copy kept
// elsewhere (published, signed into the minutes), which is why verifyChain returns the head.

export const GENESIS = '0'.repeat(64);

export type ChainEvent = {
	/** 1, 2, 3, … without gaps within one chain. */
	seq: number;
	type: string;
	payload: unknown;
	/** Exactly the string that is stored and hashed, e.g. new Date().toISOString(). A timestamptz read
	 * back as a Date loses microseconds and the zone's spelling, so store this text as it was hashed. */
	createdAt: string;
};

export type StoredChainEvent = ChainEvent & { prevHash: string; hash: string };

const HEX64 = /^[0-9a-f]{64}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function chainHash(prevHash: string, event: ChainEvent): string {
	if (!HEX64.test(prevHash))
		throw new TypeError('chainHash: prevHash must be 64 lowercase hex digits');
	if (!Number.isSafeInteger(event.seq) || event.seq < 1)
		throw new TypeError('chainHash: seq must be a positive integer');
	if (typeof event.type !== 'string' || event.type === '')
		throw new TypeError('chainHash: type must be a non-empty string');
	if (
		typeof event.createdAt !== 'string' ||
		!ISO_INSTANT.test(event.createdAt) ||
		Number.isNaN(Date.parse(event.createdAt))
	) {
		throw new TypeError('chainHash: createdAt must be an ISO 8601 instant string');
	}
	// Only these four fields are hashed: whatever else a row carries (ids, the hashes) is not the event.
	const body = canonicalJson({
		seq: event.seq,
		type: event.type,
		payload: event.payload,
		createdAt: event.createdAt
	});
	return createHash('sha256').update(`${prevHash}\n${body}`, 'utf8').digest('hex');
}

/** The stored form of the next event after `head` (null for the first event of a chain). */
export function linkEvent(
	head: { seq: number; hash: string } | null,
	event: Omit<ChainEvent, 'seq'>
): StoredChainEvent {
	const seq = head ? head.seq + 1 : 1;
	const prevHash = head ? head.hash : GENESIS;
	const e = { seq, type: event.type, payload: event.payload, createdAt: event.createdAt };
	return { ...e, prevHash, hash: chainHash(prevHash, e) };
}

export type ChainVerdict =
	| { ok: true; head: string }
	| { ok: false; firstBadSeq: number; reason: 'hash_mismatch' | 'prev_mismatch' | 'gap' };

/**
 * Checks a whole chain given in stored order (ORDER BY seq), starting at seq 1 on GENESIS.
 * firstBadSeq is the first event that does not hold: for a gap it is the missing seq number.
 */
export function verifyChain(events: readonly StoredChainEvent[]): ChainVerdict {
	let expectedSeq = 1;
	let expectedPrev = GENESIS;
	for (const e of events) {
		if (e.seq !== expectedSeq) return { ok: false, firstBadSeq: expectedSeq, reason: 'gap' };
		if (e.prevHash !== expectedPrev)
			return { ok: false, firstBadSeq: e.seq, reason: 'prev_mismatch' };
		let recomputed: string;
		try {
			recomputed = chainHash(e.prevHash, e);
		} catch {
			recomputed = ''; // a malformed stored event cannot match any hash
		}
		if (recomputed !== e.hash) return { ok: false, firstBadSeq: e.seq, reason: 'hash_mismatch' };
		expectedSeq++;
		expectedPrev = e.hash;
	}
	return { ok: true, head: expectedPrev };
}
