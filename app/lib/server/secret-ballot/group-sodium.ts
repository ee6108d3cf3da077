/**
 * libsodium's ristretto255 (WebAssembly, libsodium-wrappers-sumo) as a secret-ballot `Group`, for the server's
 * checks only (`verifyBallotIn`, `verifyTally(…, { group })`): the same verifier as everywhere, on a group whose
 * multiplication costs ~0.13 ms instead of noble's ~1 ms and whose point decoding costs ~0.01 ms instead of ~0.1 ms
 * in Node 20 (BigInt is the slow part there; bench:secret). Under $lib/server, so it never reaches the browser
 * bundle — the delegate's page encrypts with noble.
 *
 * Points are their canonical 32-byte encodings: libsodium decodes on entry to every operation and encodes on exit,
 * and refuses non-canonical input exactly as RFC 9496 (and noble) do, so bytes are identical across the two.
 * libsodium has no multi-scalar routine and each primitive pays a decode and an encode, so a Strauss/Pippenger
 * chain built from them would cost more than one multiplication per term: `multiScalar` multiplies term by term
 * (adding for ±1, skipping 0), and `sharedMultiScalar` is false, so a board is checked ballot by ballot.
 */
import sodium from 'libsodium-wrappers-sumo';
import { numberToBytesLE } from '@noble/curves/utils.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { type Group, ORDER, mod } from '../../secret-ballot/group';

const IDENTITY = new Uint8Array(32); // the identity's encoding is all zeros
const MINUS_ONE = ORDER - 1n;

function isIdentity(p: Uint8Array): boolean {
	for (let i = 0; i < 32; i++) if (p[i] !== 0) return false;
	return true;
}

/** libsodium refuses a zero scalar and an identity result (it throws); both mean the identity here. */
function mulPublic(p: Uint8Array, s: bigint, base: Uint8Array): Uint8Array {
	const k = mod(s);
	if (k === 0n || isIdentity(p)) return IDENTITY;
	// Non-clamped 32-byte little-endian scalars below ℓ (< 2²⁵³, so libsodium's clearing of the top bit is a no-op).
	const bytes = numberToBytesLE(k, 32);
	return p === base
		? sodium.crypto_scalarmult_ristretto255_base(bytes)
		: sodium.crypto_scalarmult_ristretto255(bytes, p);
}

function create(): Group<Uint8Array> {
	const G = sodium.crypto_scalarmult_ristretto255_base(numberToBytesLE(1n, 32));
	return {
		name: 'libsodium-wrappers-sumo',
		G,
		IDENTITY,
		decode(hex) {
			const bytes = hexToBytes(hex);
			return sodium.crypto_core_ristretto255_is_valid_point(bytes) ? bytes : null;
		},
		encode: (p) => bytesToHex(p),
		isIdentity,
		add: (a, b) => sodium.crypto_core_ristretto255_add(a, b),
		sub: (a, b) => sodium.crypto_core_ristretto255_sub(a, b),
		mulPublic: (p, s) => mulPublic(p, s, G),
		multiScalar(points, scalars) {
			let acc: Uint8Array | null = null;
			for (let i = 0; i < points.length; i++) {
				const s = mod(scalars[i]);
				const p = points[i];
				if (s === 0n || isIdentity(p)) continue;
				if (s === MINUS_ONE) acc = sodium.crypto_core_ristretto255_sub(acc ?? IDENTITY, p);
				else {
					const term = s === 1n ? p : mulPublic(p, s, G);
					acc = acc === null ? term : sodium.crypto_core_ristretto255_add(acc, term);
				}
			}
			return acc ?? IDENTITY;
		},
		sharedMultiScalar: false
	};
}

let ready: Promise<Group<Uint8Array>> | null = null;

/** The group, once libsodium's WebAssembly is instantiated (once per process or worker thread). */
export function sodiumGroup(): Promise<Group<Uint8Array>> {
	ready ??= sodium.ready.then(create);
	return ready;
}
