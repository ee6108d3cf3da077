import { getTRPCErrorFromUnknown, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Params } from '../../i18n';
import { AppError, fromRuleError, type ErrorKind } from '../errors';

/** The tRPC code of each kind of AppError (its HTTP status is ERROR_STATUS's; errors.test.ts checks they agree). */
export const TRPC_CODE: Record<ErrorKind, TRPC_ERROR_CODE_KEY> = {
	BAD_REQUEST: 'BAD_REQUEST',
	UNAUTHORIZED: 'UNAUTHORIZED',
	FORBIDDEN: 'FORBIDDEN',
	NOT_FOUND: 'NOT_FOUND',
	CONFLICT: 'CONFLICT',
	PRECONDITION_FAILED: 'PRECONDITION_FAILED',
	PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
	TOO_MANY_REQUESTS: 'TOO_MANY_REQUESTS',
	BAD_GATEWAY: 'BAD_GATEWAY',
	SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE'
};

/** An AppError as tRPC carries it: the tRPC code of its kind, with the key the error formatter translates. */
export class ApiError extends TRPCError {
	readonly i18nKey: string;
	readonly params?: Params;

	constructor(error: AppError) {
		super({ code: TRPC_CODE[error.code], message: error.message, cause: error });
		this.i18nKey = error.i18nKey;
		this.params = error.params;
	}
}

/**
 * Any error as the TRPCError the caller is answered with: an AppError or a rule error (also when tRPC has wrapped
 * it) becomes an ApiError of its kind; anything else is tRPC's own conversion.
 */
export function toTRPCError(err: unknown): TRPCError {
	if (err instanceof ApiError) return err;
	const app = fromRuleError(err) ?? (err instanceof TRPCError && err.code === 'INTERNAL_SERVER_ERROR' ? fromRuleError(err.cause) : null);
	return app ? new ApiError(app) : getTRPCErrorFromUnknown(err);
}
