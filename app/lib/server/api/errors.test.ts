import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { SigningError } from '../../../../signing/errors.js';
import { DomainError } from '../../domain/errors';
import { AppError, ERROR_STATUS, type ErrorKind } from '../errors';
import { ApiError, TRPC_CODE, toTRPCError } from './errors';

/** What a client sees of an error: the tRPC code, the HTTP status and the message key. */
function seen(err: unknown) {
	const e = toTRPCError(err);
	return {
		code: e.code,
		status: getHTTPStatusCodeFromError(e),
		i18nKey: e instanceof ApiError ? e.i18nKey : null
	};
}

describe('AppError through tRPC (api/errors.ts)', () => {
	it('answers every kind with the tRPC code whose HTTP status is the kind’s', () => {
		for (const kind of Object.keys(ERROR_STATUS) as ErrorKind[]) {
			expect(seen(new AppError(kind, 'auth.forbidden')), kind).toEqual({
				code: TRPC_CODE[kind],
				status: ERROR_STATUS[kind],
				i18nKey: 'auth.forbidden'
			});
		}
	});

	it('keeps the key, the parameters and the Vietnamese message, also when tRPC has wrapped the error', () => {
		const app = new AppError('TOO_MANY_REQUESTS', 'auth.ipLimited', {
			minutes: 15
		});
		const wrapped = new TRPCError({
			code: 'INTERNAL_SERVER_ERROR',
			cause: app
		});
		const e = toTRPCError(wrapped);
		expect(e).toBeInstanceOf(ApiError);
		expect({
			code: e.code,
			i18nKey: (e as ApiError).i18nKey,
			params: (e as ApiError).params,
			message: e.message,
			cause: e.cause
		}).toEqual({
			code: 'TOO_MANY_REQUESTS',
			i18nKey: 'auth.ipLimited',
			params: { minutes: 15 },
			message: app.message,
			cause: app
		});
	});

	it('gives rule errors the kind of their explicit table, not a guess from the name', () => {
		const wrap = (cause: Error) => new TRPCError({ code: 'INTERNAL_SERVER_ERROR', cause });
		expect(seen(wrap(new DomainError('VOTE_CLOSED')))).toEqual({
			code: 'CONFLICT',
			status: 409,
			i18nKey: 'VOTE_CLOSED'
		});
		expect(seen(wrap(new DomainError('NOT_A_DELEGATE')))).toEqual({
			code: 'FORBIDDEN',
			status: 403,
			i18nKey: 'NOT_A_DELEGATE'
		});
		expect(seen(wrap(new DomainError('FLOOR_REQUEST_NOT_FOUND')))).toEqual({
			code: 'NOT_FOUND',
			status: 404,
			i18nKey: 'FLOOR_REQUEST_NOT_FOUND'
		});
		expect(seen(wrap(new DomainError('QUORUM_NOT_MET')))).toEqual({
			code: 'BAD_REQUEST',
			status: 400,
			i18nKey: 'QUORUM_NOT_MET'
		});
		// Bad bytes are bad input: the old name rule (/NOT_A_/) made this one a 403.
		expect(seen(wrap(new SigningError('NOT_A_PDF')))).toEqual({
			code: 'BAD_REQUEST',
			status: 400,
			i18nKey: 'NOT_A_PDF'
		});
		expect(seen(wrap(new SigningError('FIELD_ALREADY_SIGNED')))).toEqual({
			code: 'CONFLICT',
			status: 409,
			i18nKey: 'FIELD_ALREADY_SIGNED'
		});
	});

	it('leaves tRPC’s own errors and unknown failures as they are', () => {
		const validation = new TRPCError({ code: 'BAD_REQUEST', message: 'x' });
		expect(toTRPCError(validation)).toBe(validation);
		expect(seen(new Error('boom'))).toEqual({
			code: 'INTERNAL_SERVER_ERROR',
			status: 500,
			i18nKey: null
		});
		expect(
			seen(
				new TRPCError({
					code: 'INTERNAL_SERVER_ERROR',
					cause: Object.assign(new Error('pg'), { code: '23505' })
				})
			)
		).toEqual({ code: 'INTERNAL_SERVER_ERROR', status: 500, i18nKey: null });
	});
});
