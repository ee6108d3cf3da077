import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { translate, type Locale } from '../../i18n';
import { AppError } from '../errors';
import { ApiError, toTRPCError } from './errors';
import { validationDetails } from './init';

export interface Refusal {
	status: number;
	message: string;
}

/**
 * A procedure's refusal of a server-side call (serverCaller), as a form action answers it: the HTTP status and the
 * message in the reader's language, by the API error formatter's rules. Null for anything else (a fault): the
 * caller throws it on, so it is logged and answered as an internal error, with no detail shown.
 */
export function refusalOf(thrown: unknown, locale: Locale): Refusal | null {
	if (!(thrown instanceof TRPCError || thrown instanceof AppError)) return null;
	const err = toTRPCError(thrown);
	if (err instanceof ApiError) return { status: getHTTPStatusCodeFromError(err), message: translate(locale, err.i18nKey, err.params) };
	if (err.cause instanceof ZodError) return { status: 400, message: translate(locale, 'error.validation', { details: validationDetails(err.cause) }) };
	return null;
}
