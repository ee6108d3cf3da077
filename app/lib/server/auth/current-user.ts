import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { CityRole, CouncilKind, CouncilRole } from '../../../../db/schema.js';

export interface CouncilMembership {
	councilId: string;
	councilCode: string;
	councilName: string;
	councilKind: CouncilKind;
	roles: CouncilRole[];
}

export interface AuthUser {
	id: string;
	username: string;
	fullName: string;
	cityRoles: CityRole[];
	councils: CouncilMembership[];
}

interface UserRow {
	id: string;
	username: string;
	full_name: string;
	city_roles: CityRole[];
	memberships: { councilId: string; councilCode: string; councilName: string; councilKind: CouncilKind; role: CouncilRole }[];
}

/**
 * The user with their roles, in ONE query: every API call (and every live stream) begins with this, so a
 * round trip saved here is saved on every request.
 */
function userQuery(where: ReturnType<typeof sql>, extra: ReturnType<typeof sql> = sql``) {
	return sql<UserRow>`/* prepared */
		select u.id, u.username, u.full_name${extra},
			coalesce((select json_agg(r.role order by r.role) from city_roles r where r.user_id = u.id), '[]') as city_roles,
			coalesce((
				select json_agg(json_build_object('councilId', c.id, 'councilCode', c.code, 'councilName', c.name, 'councilKind', c.kind, 'role', m.role) order by c.code, m.role)
				from council_members m join councils c on c.id = m.council_id
				where m.user_id = u.id and m.active
			), '[]') as memberships
		from users u
		${where}`;
}

function toAuthUser(row: UserRow | undefined): AuthUser | null {
	if (!row) return null;
	const councils = new Map<string, CouncilMembership>();
	for (const m of row.memberships) {
		const entry = councils.get(m.councilId) ?? { councilId: m.councilId, councilCode: m.councilCode, councilName: m.councilName, councilKind: m.councilKind, roles: [] };
		entry.roles.push(m.role);
		councils.set(m.councilId, entry);
	}
	return { id: row.id, username: row.username, fullName: row.full_name, cityRoles: row.city_roles, councils: [...councils.values()] };
}

export async function loadUser(db: Db, userId: string): Promise<AuthUser | null> {
	const { rows } = await userQuery(sql`where u.id = ${userId} and u.active`).execute(db);
	return toAuthUser(rows[0]);
}

/**
 * The session with that token hash: its user and when it expires (null when the session is unknown, expired or
 * the user inactive).
 */
export async function loadSession(db: Db, tokenHash: string): Promise<{ user: AuthUser; expiresAt: Date } | null> {
	const { rows } = await userQuery(
		sql`join sessions s on s.user_id = u.id where s.token_hash = ${tokenHash} and s.expires_at > now() and u.active`,
		sql`, s.expires_at`
	).execute(db);
	const row = rows[0] as (UserRow & { expires_at: Date }) | undefined;
	return row ? { user: toAuthUser(row)!, expiresAt: row.expires_at } : null;
}

/**
 * The users behind many sessions at once, by token hash (sessions unknown, expired or of an inactive user are
 * absent): the live streams' re-check after an auth change asks for every open stream's session in one query.
 */
export async function loadSessionUsers(db: Db, tokenHashes: string[]): Promise<Map<string, AuthUser>> {
	if (tokenHashes.length === 0) return new Map();
	const { rows } = await userQuery(
		sql`join sessions s on s.user_id = u.id where s.token_hash = any(${tokenHashes}::text[]) and s.expires_at > now() and u.active`,
		sql`, s.token_hash`
	).execute(db);
	return new Map(rows.map((row) => [(row as UserRow & { token_hash: string }).token_hash, toAuthUser(row)!]));
}

/** Active users by id, in one query (absent: unknown or inactive). */
export async function loadUsers(db: Db, userIds: string[]): Promise<Map<string, AuthUser>> {
	if (userIds.length === 0) return new Map();
	const { rows } = await userQuery(sql`where u.id = any(${userIds}::uuid[]) and u.active`).execute(db);
	return new Map(rows.map((row) => [row.id, toAuthUser(row)!]));
}

export function rolesIn(user: AuthUser | null, councilId: string): CouncilRole[] {
	return user?.councils.find((c) => c.councilId === councilId)?.roles ?? [];
}

export function hasCityRole(user: AuthUser | null, ...roles: CityRole[]): boolean {
	return !!user && user.cityRoles.some((r) => roles.includes(r));
}
