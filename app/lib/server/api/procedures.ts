import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { CityRole, CouncilRole } from '../../../../db/schema.js';
import { hasKey, translate } from '../../i18n';
import { findInvalidText } from './hostile-text';
import { hasCityRole, rolesIn, type AuthUser } from '../auth/current-user';
import { log } from '../log';
import type { Context } from './context';
import { AppError, forbidden, isDatabaseUnavailable, unauthorized } from './errors';
import { t } from './init';

/** Rule errors (domain, signing, media) carry a code that is also their message key. */
function statusFor(code: string): TRPC_ERROR_CODE_KEY {
	if (/ALREADY|CLOSED|TRANSITION|DUPLICATE|NOT_OPEN/.test(code)) return 'CONFLICT';
	if (/NOT_FOUND/.test(code)) return 'NOT_FOUND';
	if (/FORBIDDEN|NOT_A_|NOT_ALLOWED/.test(code)) return 'FORBIDDEN';
	return 'BAD_REQUEST';
}

const translateErrors = t.middleware(async ({ next, path, type }) => {
	const result = await next();
	if (result.ok) return result;
	const error = result.error;
	const cause = error.cause as { code?: unknown; params?: Record<string, string | number> } | undefined;
	if (!(error instanceof AppError) && cause && typeof cause.code === 'string' && hasKey(cause.code)) {
		throw new AppError(statusFor(cause.code), cause.code, cause.params, cause);
	}
	if (error.code === 'INTERNAL_SERVER_ERROR' && !(error instanceof AppError)) {
		if (isDatabaseUnavailable(error)) {
			log.warn('database unavailable', { path, type });
			throw new AppError('SERVICE_UNAVAILABLE', 'error.database', undefined, error);
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
	if (!result.ok && !(result.error instanceof AppError)) {
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

/** Finds the council an input refers to (directly, or through its sitting, vote, resolution…). */
export type CouncilResolver = (ctx: Context, input: unknown) => Promise<string | null> | string | null;

export const byCouncilId: CouncilResolver = (_ctx, input) => (input as { councilId?: string }).councilId ?? null;

export interface CouncilAccess {
	/** Council roles allowed. */
	roles: readonly CouncilRole[];
	/** City-wide roles allowed as well (monitor: read-only procedures; admin: administration). */
	cityRoles?: readonly CityRole[];
}

export interface CouncilScope {
	councilId: string;
	councilRoles: CouncilRole[];
	viaCityRole: boolean;
}

export function checkCouncilAccess(user: AuthUser, councilId: string, access: CouncilAccess): CouncilScope {
	const councilRoles = rolesIn(user, councilId);
	if (councilRoles.some((r) => access.roles.includes(r))) return { councilId, councilRoles, viaCityRole: false };
	if (access.cityRoles && hasCityRole(user, ...access.cityRoles)) return { councilId, councilRoles, viaCityRole: true };
	throw forbidden();
}

/** The same rule as checkCouncilAccess, as a yes or no (re-checked on live streams: realtime/stream-guard.ts). */
export function hasCouncilAccess(user: AuthUser, councilId: string, access: CouncilAccess): boolean {
	return rolesIn(user, councilId).some((r) => access.roles.includes(r)) || (!!access.cityRoles && hasCityRole(user, ...access.cityRoles));
}

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

export const ALL_COUNCIL_ROLES: readonly CouncilRole[] = ['delegate', 'chair', 'secretary', 'clerk', 'site_operator'];
export const READERS = { roles: ALL_COUNCIL_ROLES, cityRoles: ['monitor', 'admin'] } as const satisfies CouncilAccess;
