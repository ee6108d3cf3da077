import { error, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { translate } from '../../i18n';
import { AppError } from '../errors';
import { ApiError, toTRPCError } from './errors';
import { createCallerFactory } from './init';
import { createContext } from './request-context';
import { appRouter } from './root';

const createCaller = createCallerFactory(appRouter);

/** Server-side calls from `load` functions go through the same procedures, guards included. */
export function serverCaller(event: RequestEvent) {
	return createCaller(createContext(event));
}

/** Turns a procedure's refusal into the page's error, in the user's language. */
export async function orPageError<T>(event: RequestEvent, call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (thrown) {
		if (thrown instanceof TRPCError || thrown instanceof AppError) {
			const err = toTRPCError(thrown);
			const message = err instanceof ApiError ? translate(event.locals.locale, err.i18nKey, err.params) : translate(event.locals.locale, 'error.internal');
			error(getHTTPStatusCodeFromError(err), { message });
		}
		throw thrown;
	}
}
