import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { translate } from '../../i18n';
import { AppError } from '../errors';
import { ApiError } from './errors';
import { refusalOf } from './refusal';

describe('refusalOf', () => {
	it('gives a refusal its status and its message in the reader’s language', () => {
		const limited = new AppError('TOO_MANY_REQUESTS', 'auth.ipLimited', { minutes: 15 });
		expect(refusalOf(limited, 'vi')).toEqual({ status: 429, message: translate('vi', 'auth.ipLimited', { minutes: 15 }) });
		expect(refusalOf(new ApiError(limited), 'en')).toEqual({ status: 429, message: translate('en', 'auth.ipLimited', { minutes: 15 }) });
		expect(refusalOf(new ApiError(new AppError('UNAUTHORIZED', 'auth.invalidCredentials')), 'vi')).toEqual({
			status: 401,
			message: 'Tên đăng nhập hoặc mật khẩu không đúng.'
		});
	});

	it('says which input is invalid, as the API does', () => {
		const parsed = z.object({ username: z.string().max(3) }).safeParse({ username: 'quá dài' });
		const err = new TRPCError({ code: 'BAD_REQUEST', cause: parsed.error });
		const refusal = refusalOf(err, 'vi');
		expect(refusal?.status).toBe(400);
		expect(refusal?.message).toMatch(/^Dữ liệu không hợp lệ: username: /);
	});

	it('leaves a fault to the caller (null), with nothing of it in a message', () => {
		expect(refusalOf(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'relation "users" does not exist' }), 'vi')).toBeNull();
		expect(refusalOf(new Error('boom'), 'vi')).toBeNull();
		expect(refusalOf('boom', 'vi')).toBeNull();
	});
});
