import { orPageError, serverCaller } from '$lib/server/api/caller';
import type { PageServerLoad } from './$types';

const ROLES = ['delegate', 'chair', 'secretary', 'clerk', 'site_operator', 'monitor', 'admin'] as const;
type Role = (typeof ROLES)[number];

export const load: PageServerLoad = async (event) => {
	const q = (event.url.searchParams.get('q') ?? '').slice(0, 100);
	const councilId = event.url.searchParams.get('council') || undefined;
	const roleParam = event.url.searchParams.get('role') ?? '';
	const role = (ROLES as readonly string[]).includes(roleParam) ? (roleParam as Role) : undefined;
	const caller = serverCaller(event);
	return orPageError(event, async () => ({
		q,
		councilId: councilId ?? '',
		role: role ?? '',
		councils: (await caller.council.list()).map((c) => ({ id: c.id, name: c.name })),
		entries: q || councilId || role ? await caller.directory.search({ q, councilId, role, limit: 100 }) : []
	}));
};
