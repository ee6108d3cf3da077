import { error, type RequestEvent } from '@sveltejs/kit';
import { createCallerFactory } from './init';
import { refusalOf } from './refusal';
import { createContext } from './request-context';
import { appRouter } from './root';

const createCaller = createCallerFactory(appRouter);

/** Server-side calls from `load` functions go through the same procedures, guards included. */
export function serverCaller(event: RequestEvent) {
	return createCaller(createContext(event));
}

/** Turns a procedure's refusal into the page's error, in the user's language (a fault is thrown on: a 500). */
export async function orPageError<T>(event: RequestEvent, call: () => Promise<T>): Promise<T> {
	try {
		return await call();
	} catch (thrown) {
		const refusal = refusalOf(thrown, event.locals.locale);
		if (refusal) error(refusal.status, { message: refusal.message });
		throw thrown;
	}
}
