import type { Db } from '../../../../db/client.js';
import type { CityRole, CouncilRole } from '../../../../db/schema.js';
import { forbidden } from '../errors';
import { hasCityRole, rolesIn, type AuthUser } from './current-user';

// Who may act in a council: the one rule behind the procedures' guards (api/procedures.ts), the live streams'
// re-checks and the services that check a council themselves (documents). Pure, apart from the resolvers' lookups.

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

export const ALL_COUNCIL_ROLES: readonly CouncilRole[] = ['delegate', 'chair', 'secretary', 'clerk', 'site_operator'];
/** "Readers of C": any role in council C, or monitor/admin. */
export const READERS = {
	roles: ALL_COUNCIL_ROLES,
	cityRoles: ['monitor', 'admin']
} as const satisfies CouncilAccess;

/** The caller's scope in the council, or FORBIDDEN. */
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

/** What a council resolver may read: the database and the caller (a procedure's context is one). */
export interface CouncilLookup {
	db: Db;
	user: AuthUser | null;
}

/** Finds the council an input refers to (directly, or through its sitting, vote, resolution…); null if none. */
export type CouncilResolver = (ctx: CouncilLookup, input: unknown) => Promise<string | null> | string | null;
