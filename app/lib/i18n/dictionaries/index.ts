// Both languages, loaded with the module: the server, the tests and the scripts translate synchronously. The
// browser build gets client.ts in its place (vite.config.ts, clientDictionaries): only the page's language and the
// parts of it the page shows (parts.ts), loaded before the first render by the root layout (app/routes/+layout.ts).
import type { Dictionary } from './merge';
import { en } from './en';
import type { Part } from './parts';
import { vi } from './vi';

export type Locale = 'vi' | 'en';

export const dictionaries: Record<Locale, Dictionary> = { vi, en };

/** Nothing to load: every text of both languages is here already. */
export async function loadDictionaries(locale: Locale, routeId: string | null = null): Promise<void> {
	void locale;
	void routeId;
}

/** Nothing to load (see loadDictionaries). */
export async function loadTexts(locale: Locale, part: Part): Promise<void> {
	void locale;
	void part;
}
