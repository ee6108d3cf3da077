/**
 * One error type for the whole signing library, with stable machine codes.
 *
 * Why codes and not messages: the tRPC layer maps codes to HTTP/tRPC errors and the UI
 * shows the Vietnamese text from `messages.ts`; the English `message` here is for logs only.
 */
export const SIGNING_ERROR_CODES = [
	// key material
	'WRONG_PASSPHRASE',
	'INVALID_PKCS12',
	'KEY_CERT_MISMATCH',
	'UNSUPPORTED_KEY',
	'CERT_EXPIRED',
	'CERT_NOT_YET_VALID',
	'CERT_REVOKED',
	'CERT_UNSUITABLE',
	// documents in
	'INVALID_DOCUMENT',
	'NOT_A_PDF',
	'PDF_TOO_LARGE',
	'TRUNCATED_PDF',
	'MALFORMED_PDF',
	'ENCRYPTED_PDF',
	'MALFORMED_SIGNATURE',
	'TOO_MANY_SIGNATURES',
	// signing
	'FIELD_NOT_FOUND',
	'FIELD_ALREADY_SIGNED',
	'SIGNATURE_TOO_LARGE',
	'TIMESTAMP_FAILED',
	// signers off the server (signer-pkcs11.ts, signer-remote.ts)
	'SIGNER_BAD_SIGNATURE',
	'WRONG_PIN',
	'PIN_LOCKED',
	'TOKEN_NOT_FOUND',
	'TOKEN_FAILED',
	'REMOTE_SIGNER_UNAVAILABLE',
	'REMOTE_SIGNER_REFUSED',
	'REMOTE_SIGNER_INVALID'
] as const;

export type SigningErrorCode = (typeof SIGNING_ERROR_CODES)[number];

export class SigningError extends Error {
	readonly code: SigningErrorCode;

	constructor(code: SigningErrorCode, detail?: string, options?: { cause?: unknown }) {
		super(detail ? `${code}: ${detail}` : code, options);
		this.name = 'SigningError';
		this.code = code;
	}
}

export function isSigningError(e: unknown, code?: SigningErrorCode): e is SigningError {
	return e instanceof SigningError && (code === undefined || e.code === code);
}
