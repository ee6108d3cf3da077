// Stable codes: routers and the UI switch on `code`, never on message text.
// Every code has a Vietnamese and an English message in messages.ts (the type system enforces it).
export type DomainErrorCode =
	| 'INVALID_NUMBER'
	| 'INVALID_FRACTION'
	| 'INVALID_PASS_RULE'
	| 'PRESENT_EXCEEDS_SEATED'
	| 'VOTES_EXCEED_SEATED'
	| 'BALLOTS_EXCEED_PRESENT'
	| 'QUORUM_NOT_MET'
	| 'INVALID_BALLOT_SPEC'
	| 'INVALID_CHOICE'
	| 'ELECTION_DUPLICATE_CANDIDATE'
	| 'ELECTION_UNKNOWN_CANDIDATE'
	| 'ELECTION_TOO_MANY_CHOICES'
	| 'CONFIDENCE_INCOMPLETE'
	| 'CONFIDENCE_UNKNOWN_PERSON'
	| 'CONFIDENCE_INVALID_RATING'
	| 'ILLEGAL_TRANSITION'
	| 'ILLEGAL_VOTE_TRANSITION'
	| 'SITTING_NOT_IN_PROGRESS'
	| 'VOTE_ALREADY_OPEN'
	| 'VOTE_CLOSED'
	| 'NOT_A_DELEGATE'
	| 'NOT_CHECKED_IN'
	| 'ALREADY_VOTED'
	| 'FLOOR_REQUEST_NOT_FOUND'
	| 'FLOOR_POINT_OF_ORDER_FIXED';

export type DomainErrorParams = Record<string, string | number>;

export class DomainError extends Error {
	constructor(
		public code: DomainErrorCode,
		public params?: DomainErrorParams
	) {
		// The message is for logs only (structured, English); people read messages.ts via messageFor().
		super(params ? `${code} ${JSON.stringify(params)}` : code);
		this.name = 'DomainError';
	}
}

export function isDomainError(e: unknown, code?: DomainErrorCode): e is DomainError {
	return e instanceof DomainError && (code === undefined || e.code === code);
}
