import type { LayoutServerLoad } from './$types';

// The launcher sets DEMO to what it seeded (scripts/start.ts). Every demo account shares one password: every page
// says so, naming it only when it is the published default (a DEMO_PASSWORD of the operator's own stays unsaid).
function demoNotice(): { password: string | null } | null {
	if (process.env.DEMO !== '1') return null;
	return { password: process.env.DEMO_PASSWORD ? null : 'demo' };
}

export const load: LayoutServerLoad = ({ locals }) => ({ locale: locals.locale, user: locals.user, demo: demoNotice() });
