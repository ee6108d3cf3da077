// Signed heads of a sitting's event chain ("anchors", issue 17), shared by the server that signs them, the screens
// that keep them, the check page and `npm run verify:chain -- --witness` that compare them with the database.
//
// What a signed head proves: that the holder of the council's CA key (the server; the key is sealed with a secret
// kept out of the database) said, at `signedAt`, that sitting `sittingId`'s chain had `seq` events ending in `hash`.
// As each event's hash covers the one before (server/domain/hash-chain.ts), and each 'vote.closed' event commits to
// its ballots' digest and result, that hash pins every event, ballot and result up to `seq`. A copy kept outside the
// database — a screen's IndexedDB, a witness file, the minutes PDF — therefore exposes any later rewrite inside the
// database, however carefully re-linked: the chain's event `seq` no longer has that hash. The signature makes a kept
// head attributable, so a device cannot invent a head to accuse an honest record. It proves nothing about events
// after `seq`, nor that the events were true when written (a server already subverted signs what it is given).

/** The head being signed: the chain of `sittingId` up to and including event `seq`, whose hash is `hash`. */
export interface ChainHead {
	sittingId: string;
	seq: number;
	hash: string;
	/** When the head was signed (ISO 8601, UTC). */
	signedAt: string;
	/** What had just closed: a vote (its id) or the sitting itself. */
	closed: 'vote' | 'sitting';
	voteId: string | null;
}

/** A signed head, as the 'chain.anchor' event carries it and devices keep it. */
export interface SignedAnchor extends ChainHead {
	/** RSASSA-PKCS1-v1_5 with SHA-256: the council CA's key is RSA (signing/pki.ts). */
	alg: 'RS256';
	/** SHA-256 (hex) of the signing key's SubjectPublicKeyInfo (DER): which council key signed. */
	keyId: string;
	/** Base64 of the signature over anchorMessage(head). */
	signature: string;
}

export const ANCHOR_EVENT = 'chain.anchor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const HEX64 = /^[0-9a-f]{64}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The exact bytes that are signed: one ASCII line per field in a fixed order, so that any verifier (a browser, a
 * script, `openssl dgst -verify`) rebuilds them without a JSON canonicaliser. Refuses a malformed head (TypeError)
 * rather than sign or verify something ambiguous.
 */
export function anchorMessage(head: ChainHead): Uint8Array {
	if (typeof head.sittingId !== 'string' || !UUID.test(head.sittingId)) throw new TypeError('anchorMessage: sittingId must be a lowercase UUID');
	if (!Number.isSafeInteger(head.seq) || head.seq < 1) throw new TypeError('anchorMessage: seq must be a positive integer');
	if (typeof head.hash !== 'string' || !HEX64.test(head.hash)) throw new TypeError('anchorMessage: hash must be 64 lowercase hex digits');
	if (typeof head.signedAt !== 'string' || !ISO_UTC.test(head.signedAt) || Number.isNaN(Date.parse(head.signedAt))) throw new TypeError('anchorMessage: signedAt must be an ISO 8601 UTC instant');
	let closed: string;
	if (head.closed === 'vote' && typeof head.voteId === 'string' && UUID.test(head.voteId)) closed = `vote ${head.voteId}`;
	else if (head.closed === 'sitting' && head.voteId === null) closed = 'sitting';
	else throw new TypeError('anchorMessage: closed must be a vote with its id, or the sitting with none');
	const text = `nghi-truong-so chain-anchor v1\nsitting ${head.sittingId}\nseq ${head.seq}\nhash ${head.hash}\nsigned-at ${head.signedAt}\nclosed ${closed}\n`;
	return new TextEncoder().encode(text);
}

/** The head part of a signed anchor (what anchorMessage covers). */
export function headOf(anchor: ChainHead): ChainHead {
	return {
		sittingId: anchor.sittingId,
		seq: anchor.seq,
		hash: anchor.hash,
		signedAt: anchor.signedAt,
		closed: anchor.closed,
		voteId: anchor.voteId
	};
}

/** `value` as a SignedAnchor when it has that shape (a kept or uploaded anchor is untrusted input), else null. */
export function asSignedAnchor(value: unknown): SignedAnchor | null {
	if (!value || typeof value !== 'object') return null;
	const v = value as Record<string, unknown>;
	if (v.alg !== 'RS256' || typeof v.keyId !== 'string' || !HEX64.test(v.keyId) || typeof v.signature !== 'string' || !BASE64.test(v.signature)) return null;
	const anchor = {
		...headOf(v as unknown as ChainHead),
		alg: 'RS256' as const,
		keyId: v.keyId,
		signature: v.signature
	};
	try {
		anchorMessage(anchor);
	} catch {
		return null;
	}
	return anchor;
}

export function toBase64(bytes: Uint8Array): string {
	let binary = '';
	for (const b of bytes) binary += String.fromCharCode(b);
	return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

const hex = (buf: ArrayBuffer) => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** The key id of a public key: SHA-256 (hex) of its SubjectPublicKeyInfo DER. */
export async function keyIdOf(spki: Uint8Array<ArrayBuffer>): Promise<string> {
	return hex(await crypto.subtle.digest('SHA-256', spki));
}

/**
 * Whether `anchor` was signed by the key `spki` (SubjectPublicKeyInfo DER of the council's CA certificate). WebCrypto,
 * so the same check runs in the browser, on the server and in the CLI. A malformed anchor or key is simply not valid.
 */
export async function verifyAnchor(anchor: SignedAnchor, spki: Uint8Array<ArrayBuffer>): Promise<boolean> {
	try {
		if (anchor.alg !== 'RS256' || anchor.keyId !== (await keyIdOf(spki))) return false;
		const key = await crypto.subtle.importKey('spki', spki, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['verify']);
		return await crypto.subtle.verify('RSASSA-PKCS1-v1_5', key, fromBase64(anchor.signature), anchorMessage(headOf(anchor)) as Uint8Array<ArrayBuffer>);
	} catch {
		return false;
	}
}
