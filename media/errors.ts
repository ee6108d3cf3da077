// One error type for everything video-related, with a stable code. Callers (tRPC routers, the
// sitting/voting flow) switch on `code` and carry on: a LiveKit outage must never break voting.
export type MediaErrorCode =
	| 'NOT_CONFIGURED' // LIVEKIT_* env unset: video is switched off on purpose
	| 'UNREACHABLE' // connection refused, DNS failure or timeout
	| 'UNAUTHORIZED' // LiveKit rejected our API key/secret (401/403)
	| 'NOT_FOUND' // room or participant does not exist (any more)
	| 'INVALID_ARGUMENT' // our own input check failed before calling LiveKit
	| 'SERVER_ERROR'; // LiveKit answered, but with an error we cannot classify

export class MediaError extends Error {
	readonly code: MediaErrorCode;
	constructor(code: MediaErrorCode, message: string, options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'MediaError';
		this.code = code;
	}
}

export function isMediaError(value: unknown, code?: MediaErrorCode): value is MediaError {
	return value instanceof MediaError && (code === undefined || value.code === code);
}
