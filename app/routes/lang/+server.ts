import { redirect, type RequestHandler } from '@sveltejs/kit';
import { LOCALE_COOKIE, isLocale } from '$lib/i18n';
import { safeNextPath } from '$lib/server/http/safe-next-path';

/** Switches the language (a same-origin form post, so SvelteKit's CSRF check covers it) and goes back. */
export const POST: RequestHandler = async ({ request, cookies, url }) => {
	const form = await request.formData();
	const locale = form.get('locale');
	const back = form.get('back');
	if (isLocale(locale)) {
		cookies.set(LOCALE_COOKIE, locale, { path: '/', httpOnly: false, sameSite: 'lax', secure: url.protocol === 'https:', maxAge: 365 * 86400 });
	}
	// Only a path on this site: never an open redirect.
	redirect(303, safeNextPath(typeof back === 'string' ? back : null));
};
