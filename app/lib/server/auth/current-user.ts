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

export async function loadUser(db: Db, userId: string): Promise<AuthUser | null> {
	const user = await db
		.selectFrom('users')
		.select(['id', 'username', 'full_name'])
		.where('id', '=', userId)
		.where('active', '=', true)
		.executeTakeFirst();
	if (!user) return null;
	const [cityRoles, memberships] = await Promise.all([
		db.selectFrom('city_roles').select('role').where('user_id', '=', userId).execute(),
		db
			.selectFrom('council_members as m')
			.innerJoin('councils as c', 'c.id', 'm.council_id')
			.select(['c.id', 'c.code', 'c.name', 'c.kind', 'm.role'])
			.where('m.user_id', '=', userId)
			.where('m.active', '=', true)
			.orderBy('c.code')
			.execute()
	]);
	const councils = new Map<string, CouncilMembership>();
	for (const m of memberships) {
		const entry = councils.get(m.id) ?? { councilId: m.id, councilCode: m.code, councilName: m.name, councilKind: m.kind, roles: [] };
		entry.roles.push(m.role);
		councils.set(m.id, entry);
	}
	return {
		id: user.id,
		username: user.username,
		fullName: user.full_name,
		cityRoles: cityRoles.map((r) => r.role),
		councils: [...councils.values()]
	};
}

export function rolesIn(user: AuthUser | null, councilId: string): CouncilRole[] {
	return user?.councils.find((c) => c.councilId === councilId)?.roles ?? [];
}

export function hasCityRole(user: AuthUser | null, ...roles: CityRole[]): boolean {
	return !!user && user.cityRoles.some((r) => roles.includes(r));
}
