/**
 * Why a ballot, a partial decryption or a tally board was refused. Codes, not sentences: the server maps them to
 * Vietnamese/English messages through the i18n layer, and tests assert the exact code.
 */
export type BallotReason =
	| 'bad-context' // the verifier's own context (spec, key) is invalid — a server bug, not the voter's
	| 'malformed' // not an object, a field of the wrong type
	| 'version'
	| 'wrong-vote' // the ballot names another vote
	| 'wrong-voter' // the ballot names another voter
	| 'wrong-key' // encrypted to another key
	| 'wrong-length' // option count or proof length differs from the spec (checked before any decoding)
	| 'bad-point' // a non-canonical or invalid encoding, or the identity
	| 'bad-scalar' // not canonical, or ≥ ℓ
	| 'option-proof' // an option is not shown to be 0 or 1
	| 'sum-proof'; // the number of chosen options is not shown to be within [min, max]

export type BallotCheck = { ok: true; tracker: string } | { ok: false; reason: BallotReason; option?: number };

export type TallyReason =
	| 'malformed'
	| 'bad-committee' // a dealing with a wrong length, bad points or a failing proof of knowledge
	| 'wrong-key' // the board's public key is not the committee's joint key
	| 'bad-ballot' // see `ballot` and `ballotReason`
	| 'duplicate-voter'
	| 'duplicate-ballot' // the same ciphertext twice (a replay)
	| 'aggregate-mismatch'
	| 'bad-partial'
	| 'too-few-partials'
	| 'result-mismatch';
