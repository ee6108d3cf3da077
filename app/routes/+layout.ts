import { loadDictionaries } from '$lib/i18n';
import type { LayoutLoad } from './$types';

// The browser fetches the texts the page shows, in its language, before it renders (app/lib/i18n/dictionaries:
// a delegate's phone gets fewer); on the server every text is loaded already and this returns at once.
export const load: LayoutLoad = async ({ data, route }) => {
	await loadDictionaries(data.locale, route.id);
	return data;
};
