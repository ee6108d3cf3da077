import { orPageError, serverCaller } from '$lib/server/api/caller';
import { hasCityRole } from '$lib/server/auth/current-user';
import type { PageServerLoad } from './$types';

const ROLES = ['delegate', 'chair', 'secretary', 'clerk', 'site_operator', 'monitor', 'admin'] as const;
type Role = (typeof ROLES)[number];

export const load: PageServerLoad = async (event) => {
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	const councilId = event.url.searchParams.get('council') || undefined;
	const roleParam = event.url.searchParams.get('role') ?? '';
	const role = (ROLES as readonly string[]).includes(roleParam) ? (roleParam as Role) : undefined;
	const caller = serverCaller(event);
	// The filter offers the councils the search can reach: the whole city for its monitors and administrators,
	// one's own councils for everyone else (the server scopes the search the same way, directory.search).
	const user = event.locals.user;
	const own = new Set(user?.councils.map((c) => c.councilId));
	const wholeCity = hasCityRole(user, 'monitor', 'admin');
	return orPageError(event, async () => ({
		q,
		councilId: councilId ?? '',
		role: role ?? '',
		councils: (await caller.council.list()).filter((c) => wholeCity || own.has(c.id)).map((c) => ({ id: c.id, name: c.name })),
		entries: q || councilId || role ? await caller.directory.search({ q, councilId, role, limit: 100 }) : []
	}));
};
