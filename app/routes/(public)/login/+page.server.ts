import { fail, redirect } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { serverCaller } from '$lib/server/api/caller';
import { refusalOf } from '$lib/server/api/refusal';
import { safeNextPath } from '$lib/server/http/safe-next-path';
import type { Actions, PageServerLoad } from './$types';

/** Where to go after login: `?next=` when it is a path of this site, else home. */
const nextOf = (url: URL) => safeNextPath(url.searchParams.get('next'));

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, nextOf(url));
};

export const actions: Actions = {
	/**
	 * The login form, posted with JavaScript (use:enhance) or without. It calls the auth.login procedure itself, so
	 * its limits, its timing equalisation, the fresh session cookie and the audit entry are the API's, once.
	 * The username comes back with a refusal (to keep it in the form); the password never does.
	 */
	default: async (event) => {
		const locale = event.locals.locale;
		const form = await event.request.formData().catch(() => null);
		const field = (name: string) => {
			const value = form?.get(name);
			return typeof value === 'string' ? value : '';
		};
		const username = field('username');
		const password = field('password');
		if (!username.trim() || !password) return fail(400, { username, error: translate(locale, 'login.missing') });
		try {
			await serverCaller(event).auth.login({ username, password });
		} catch (err) {
			const refusal = refusalOf(err, locale);
			if (!refusal) throw err;
			// A wrong password is a refused form (400), not HTTP authentication (401 asks for a WWW-Authenticate scheme).
			return fail(refusal.status === 401 ? 400 : refusal.status, { username, error: refusal.message });
		}
		redirect(303, nextOf(event.url));
	}
};
