import { translate } from '../../i18n';
import { findInvalidText } from './hostile-text';
import { checkCouncilAccess, type CouncilAccess, type CouncilResolver } from '../auth/council-access';
import { hasCityRole } from '../auth/current-user';
import { AppError, forbidden, isDatabaseUnavailable, unauthorized } from '../errors';
import { log } from '../log';
import type { CityRole } from '../../../../db/schema.js';
import { ApiError, toTRPCError } from './errors';
import { t } from './init';

/**
 * First of every procedure: a service's AppError, or a rule error (domain, signing) whose code is its message key,
 * leaves as an ApiError of its kind (api/errors.ts); a lost database is an outage (503); any other failure is logged.
 */
const translateErrors = t.middleware(async ({ next, path, type }) => {
	const result = await next();
	if (result.ok) return result;
	const error = toTRPCError(result.error);
	if (error instanceof ApiError) throw error;
	if (error.code === 'INTERNAL_SERVER_ERROR') {
		if (isDatabaseUnavailable(error)) {
			log.warn('database unavailable', { path, type });
			throw new ApiError(new AppError('SERVICE_UNAVAILABLE', 'error.database', undefined, error));
		}
		log.error('procedure failed', { path, type, err: error.cause ?? error });
	}
	return result;
});

/** PostgreSQL codes for values it cannot take (bad text, JSON, dates): the caller's input, not our fault. */
const PG_INPUT_CODES = new Set(['22021', '22P02', '22P05', '22008', '22007', '22003', '54000']);

const rejectInvalidText = t.middleware(async ({ next, getRawInput }) => {
	const field = findInvalidText(await getRawInput().catch(() => undefined));
	if (field) throw new AppError('BAD_REQUEST', 'error.validation', { details: `${field}: ${translate('vi', 'error.invalidCharacters')}` });
	const result = await next();
	if (!result.ok && !(result.error.cause instanceof AppError)) {
		const code = (result.error.cause as { code?: unknown } | undefined)?.code;
		if (typeof code === 'string' && PG_INPUT_CODES.has(code)) {
			throw new AppError('BAD_REQUEST', 'error.validation', { details: translate('vi', 'error.valueOutOfRange') }, result.error);
		}
	}
	return result;
});

export const publicProcedure = t.procedure.use(translateErrors).use(rejectInvalidText);

export const authedProcedure = publicProcedure.use(function isAuthenticated({ ctx, next }) {
	if (!ctx.user) throw unauthorized();
	return next({ ctx: { ...ctx, user: ctx.user } });
});

export function cityRoleProcedure(...roles: CityRole[]) {
	return authedProcedure.use(function hasCityRoleGuard({ ctx, next }) {
		if (!hasCityRole(ctx.user, ...roles)) throw forbidden();
		return next();
	});
}

export const byCouncilId: CouncilResolver = (_ctx, input) => (input as { councilId?: string }).councilId ?? null;

/**
 * Named middleware: the caller must hold one of the roles in the council the input names.
 * Use after `.input(...)` so the input is validated first.
 */
export function requireCouncilRole(resolve: CouncilResolver, access: CouncilAccess) {
	return t.middleware(async function hasCouncilRole({ ctx, input, next }) {
		if (!ctx.user) throw unauthorized();
		const councilId = await resolve(ctx, input);
		// An unknown sitting/vote is answered like a forbidden one, so ids of other councils cannot be probed.
		if (!councilId) throw forbidden();
		const scope = checkCouncilAccess(ctx.user, councilId, access);
		return next({ ctx: { ...ctx, user: ctx.user, council: scope } });
	});
}
