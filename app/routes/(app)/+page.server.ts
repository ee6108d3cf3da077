import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ memberships: locals.user?.councils ?? [] });
