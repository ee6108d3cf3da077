import { initTRPC, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { ZodError, z } from 'zod';
import { translate } from '../../i18n';
import type { Context } from './context';
import { ApiError, toTRPCError } from './errors';

// Validation messages in Vietnamese, the language of our users (zod ships the locale).
z.config(z.locales.vi());

/** The first few problems of an input, as the API's validation message lists them (also for form routes). */
export function validationDetails(error: ZodError): string {
	return error.issues
		.slice(0, 5)
		.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
		.join('; ');
}

/** Shared with the direct live-feed route (direct/live-feed.ts), which writes the same SSE stream itself. */
export const SSE_OPTIONS = {
	// Pings keep proxies from closing an idle stream; the client reconnects well after a missed ping.
	ping: { enabled: true, intervalMs: 10_000 },
	client: { reconnectAfterInactivityMs: 25_000 }
};

export const t = initTRPC.context<Context>().create({
	errorFormatter({ shape, error: raw, ctx }) {
		// The procedures' middleware has turned AppErrors into ApiErrors; one thrown where no middleware runs (inside
		// a stream, say) is answered as its kind all the same.
		const error = toTRPCError(raw);
		const locale = ctx?.locale ?? 'vi';
		let message = shape.message;
		let i18nKey: string | undefined;
		if (error instanceof ApiError) {
			i18nKey = error.i18nKey;
			message = translate(locale, error.i18nKey, error.params);
		} else if (error.cause instanceof ZodError) {
			i18nKey = 'error.validation';
			message = translate(locale, i18nKey, { details: validationDetails(error.cause) });
		} else if (error.code === 'INTERNAL_SERVER_ERROR') {
			// Never leak internals (SQL, stack, secrets) to the caller; the log has the detail.
			i18nKey = 'error.internal';
			message = translate(locale, i18nKey);
		}
		return {
			...shape,
			code: TRPC_ERROR_CODES_BY_KEY[error.code],
			message,
			data: {
				code: error.code,
				httpStatus: getHTTPStatusCodeFromError(error),
				path: shape.data.path,
				i18nKey,
				fieldErrors: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) : undefined
			}
		};
	},
	sse: SSE_OPTIONS
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;
export { TRPCError };
