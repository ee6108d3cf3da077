import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import { translate, type Params } from '../../i18n';

/**
 * An error a person will read: carries an i18n key so the message is given in the caller's language
 * (Vietnamese by default); the tRPC code sets the HTTP status.
 */
export class AppError extends TRPCError {
	constructor(
		code: TRPC_ERROR_CODE_KEY,
		readonly i18nKey: string,
		readonly params?: Params,
		cause?: unknown
	) {
		super({ code, message: translate('vi', i18nKey, params), cause });
	}
}

export const forbidden = () => new AppError('FORBIDDEN', 'auth.forbidden');
export const unauthorized = () => new AppError('UNAUTHORIZED', 'auth.required');
export const notFound = (whatKey: string) =>
	new AppError('NOT_FOUND', 'error.notFound', { what: translate('vi', whatKey) });

const PG_CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '57P03', '08000', '08003', '08006']);

/** A lost database connection is a temporary outage, not a bug: say so, and let the client retry. */
export function isDatabaseUnavailable(err: unknown): boolean {
	for (let e = err as { code?: string; cause?: unknown; message?: string } | undefined; e; e = e.cause as typeof e) {
		if (e.code && PG_CONNECTION_CODES.has(e.code)) return true;
		if (typeof e.message === 'string' && /Connection terminated|timeout exceeded when trying to connect/i.test(e.message)) return true;
	}
	return false;
}
