import type { SigningErrorCode } from '../../../signing/errors.js';
import type { DomainErrorCode } from '../domain/errors';
import { hasKey, translate, type Params } from '../i18n';

// The server's one error for people: services throw it without knowing who carries it (tRPC, a form action, a
// plain HTTP route). The API layer maps each kind to its tRPC code (api/errors.ts); HTTP routes use the status.

/** What kind of refusal it is, with the HTTP status each kind is answered with. */
export const ERROR_STATUS = {
	BAD_REQUEST: 400,
	UNAUTHORIZED: 401,
	FORBIDDEN: 403,
	NOT_FOUND: 404,
	CONFLICT: 409,
	PRECONDITION_FAILED: 412,
	PAYLOAD_TOO_LARGE: 413,
	TOO_MANY_REQUESTS: 429,
	BAD_GATEWAY: 502,
	SERVICE_UNAVAILABLE: 503
} as const;

export type ErrorKind = keyof typeof ERROR_STATUS;

/**
 * An error a person will read: its kind (`code`, as every error of the app has a stable code) and an i18n key (with
 * its parameters), so the message is given in the caller's language. `message` is the Vietnamese text, for logs and
 * for callers that have no locale.
 */
export class AppError extends Error {
	constructor(
		readonly code: ErrorKind,
		readonly i18nKey: string,
		readonly params?: Params,
		cause?: unknown
	) {
		super(translate('vi', i18nKey, params), cause === undefined ? undefined : { cause });
		this.name = 'AppError';
	}
}

export const forbidden = () => new AppError('FORBIDDEN', 'auth.forbidden');
export const unauthorized = () => new AppError('UNAUTHORIZED', 'auth.required');
export const notFound = (whatKey: string) =>
	new AppError('NOT_FOUND', 'error.notFound', {
		what: translate('vi', whatKey)
	});

/**
 * The kind of each rule error (app/lib/domain/errors.ts, signing/errors.ts), whose code is also its message key.
 * Stated one by one: a new code does not compile until it is given a kind here.
 */
const RULE_KIND: Record<DomainErrorCode | SigningErrorCode, ErrorKind> = {
	// Voting rules (domain)
	INVALID_NUMBER: 'BAD_REQUEST',
	INVALID_FRACTION: 'BAD_REQUEST',
	INVALID_PASS_RULE: 'BAD_REQUEST',
	PRESENT_EXCEEDS_SEATED: 'BAD_REQUEST',
	VOTES_EXCEED_SEATED: 'BAD_REQUEST',
	BALLOTS_EXCEED_PRESENT: 'BAD_REQUEST',
	QUORUM_NOT_MET: 'BAD_REQUEST',
	INVALID_BALLOT_SPEC: 'BAD_REQUEST',
	INVALID_CHOICE: 'BAD_REQUEST',
	ELECTION_DUPLICATE_CANDIDATE: 'CONFLICT',
	ELECTION_UNKNOWN_CANDIDATE: 'BAD_REQUEST',
	ELECTION_TOO_MANY_CHOICES: 'BAD_REQUEST',
	CONFIDENCE_INCOMPLETE: 'BAD_REQUEST',
	CONFIDENCE_UNKNOWN_PERSON: 'BAD_REQUEST',
	CONFIDENCE_INVALID_RATING: 'BAD_REQUEST',
	ILLEGAL_TRANSITION: 'CONFLICT',
	ILLEGAL_VOTE_TRANSITION: 'CONFLICT',
	SITTING_NOT_IN_PROGRESS: 'BAD_REQUEST',
	VOTE_ALREADY_OPEN: 'CONFLICT',
	VOTE_CLOSED: 'CONFLICT',
	NOT_A_DELEGATE: 'FORBIDDEN',
	NOT_CHECKED_IN: 'BAD_REQUEST',
	ALREADY_VOTED: 'CONFLICT',
	FLOOR_REQUEST_NOT_FOUND: 'NOT_FOUND',
	FLOOR_POINT_OF_ORDER_FIXED: 'BAD_REQUEST',
	// Signing: key material
	WRONG_PASSPHRASE: 'BAD_REQUEST',
	INVALID_PKCS12: 'BAD_REQUEST',
	KEY_CERT_MISMATCH: 'BAD_REQUEST',
	UNSUPPORTED_KEY: 'BAD_REQUEST',
	CERT_EXPIRED: 'BAD_REQUEST',
	CERT_NOT_YET_VALID: 'BAD_REQUEST',
	CERT_REVOKED: 'BAD_REQUEST',
	CERT_UNSUITABLE: 'BAD_REQUEST',
	// Signing: documents in (bad bytes are the caller's input, never a permission question)
	INVALID_DOCUMENT: 'BAD_REQUEST',
	NOT_A_PDF: 'BAD_REQUEST',
	PDF_TOO_LARGE: 'BAD_REQUEST',
	TRUNCATED_PDF: 'BAD_REQUEST',
	MALFORMED_PDF: 'BAD_REQUEST',
	ENCRYPTED_PDF: 'BAD_REQUEST',
	MALFORMED_SIGNATURE: 'BAD_REQUEST',
	TOO_MANY_SIGNATURES: 'BAD_REQUEST',
	// Signing: the signature
	FIELD_NOT_FOUND: 'NOT_FOUND',
	FIELD_ALREADY_SIGNED: 'CONFLICT',
	SIGNATURE_TOO_LARGE: 'BAD_REQUEST',
	TIMESTAMP_FAILED: 'BAD_REQUEST',
	// Signers off the server
	SIGNER_BAD_SIGNATURE: 'BAD_REQUEST',
	WRONG_PIN: 'BAD_REQUEST',
	PIN_LOCKED: 'BAD_REQUEST',
	TOKEN_NOT_FOUND: 'NOT_FOUND',
	TOKEN_FAILED: 'BAD_REQUEST',
	REMOTE_SIGNER_UNAVAILABLE: 'BAD_REQUEST',
	REMOTE_SIGNER_REFUSED: 'BAD_REQUEST',
	REMOTE_SIGNER_INVALID: 'BAD_REQUEST'
};

/**
 * A rule error (anything with a `code` that is a message key, and optional `params`) as an AppError of its kind;
 * null for anything else. A message key not in RULE_KIND is the caller's input: BAD_REQUEST.
 */
export function fromRuleError(err: unknown): AppError | null {
	if (err instanceof AppError) return err;
	const { code, params } = (err ?? {}) as { code?: unknown; params?: Params };
	if (typeof code !== 'string' || !hasKey(code)) return null;
	const kind = Object.hasOwn(RULE_KIND, code) ? RULE_KIND[code as keyof typeof RULE_KIND] : 'BAD_REQUEST';
	return new AppError(kind, code, params, err);
}

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/** A lost database connection is a temporary outage, not a bug: say so, and let the client retry. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (let e = err as { code?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
		if (e.code && PG_CONNECTION_CODES.has(e.code)) return true;
		if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
	}
	return false;
}
