/**
 * Carrying a committee share fᵢ(j) from member i to member j through the server without the server reading it.
 * Member j publishes a transport key T = t·G for the key ceremony; member i seals the share with a one-time
 * Diffie–Hellman pad: K = k·G, pad = H(k·T, …) mod ℓ, c = share + pad. Only t opens it. No MAC is needed: the
 * opened share is checked against member i's Feldman commitments (`verifyShare`), so a share altered in transit
 * is caught the same way as a dishonest one, and becomes a complaint.
 *
 * The transport keys themselves must be authentic — a server that swapped member j's T for its own would read
 * the share. The caller must bind them to the member (e.g. a fingerprint read aloud in the room, or signed with
 * the member's personal key); this module cannot.
 */
import { hexToPoint, hexToScalar, mustPoint, mustScalar, pointToHex, scalarToHex } from './codec';
import { G, addS, mulSecret, randomScalar, subS } from './group';
import { hashToScalar } from './hash';

export interface TransportKey {
	secret: string;
	public: string;
}

export interface SealedShare {
	from: number;
	to: number;
	k: string;
	c: string;
}

export function createTransportKey(): TransportKey {
	const t = randomScalar();
	return { secret: scalarToHex(t), public: pointToHex(mulSecret(G, t)) };
}

const pad = (voteId: string, from: number, to: number, k: string, shared: string, recipient: string) =>
	hashToScalar('seal', [voteId, from, to, k, shared, recipient]);

export function sealShare(voteId: string, from: number, to: number, recipientKey: string, share: string): SealedShare {
	const t = mustPoint(recipientKey, 'transport key');
	const e = randomScalar();
	const k = pointToHex(mulSecret(G, e));
	const shared = pointToHex(mulSecret(t, e));
	const c = addS(mustScalar(share, 'share'), pad(voteId, from, to, k, shared, recipientKey));
	return { from, to, k, c: scalarToHex(c) };
}

/** The share inside `sealed`, or null if it is malformed. Check the result with `verifyShare`. */
export function openShare(voteId: string, key: TransportKey, sealed: unknown): string | null {
	if (typeof sealed !== 'object' || sealed === null) return null;
	const s = sealed as SealedShare;
	const k = hexToPoint(s.k);
	const c = hexToScalar(s.c);
	if (!k || c === null || !Number.isSafeInteger(s.from) || !Number.isSafeInteger(s.to)) return null;
	const shared = pointToHex(mulSecret(k, mustScalar(key.secret, 'transport secret')));
	return scalarToHex(subS(c, pad(voteId, s.from, s.to, s.k, shared, key.public)));
}
