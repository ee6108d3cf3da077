// The browser's dictionaries (vite.config.ts puts this module in place of index.ts in the client build). Each
// language is cut into parts (parts.ts), each its own chunk of plain data built from vi.ts / en.ts
// (scripts/vite-client-dictionaries.ts), fetched before a page renders: a delegate's phone downloads the Vietnamese
// texts of the sitting screens and nothing else. English pages also load Vietnamese: a text without an English
// version falls back to it, as on the server.
import type { Locale } from './index';
import type { Dictionary } from './merge';
import { partsFor, type Part } from './parts';

export const dictionaries: Record<Locale, Dictionary> = { vi: {}, en: {} };

type Texts = Promise<{ default: Dictionary }>;
const sources: Record<Locale, Record<Part, () => Texts>> = {
	vi: {
		common: () => import('virtual:nts-texts/vi/common'),
		video: () => import('virtual:nts-texts/vi/video'),
		elsewhere: () => import('virtual:nts-texts/vi/elsewhere')
	},
	en: {
		common: () => import('virtual:nts-texts/en/common'),
		video: () => import('virtual:nts-texts/en/video'),
		elsewhere: () => import('virtual:nts-texts/en/elsewhere')
	}
};

const loading = new Map<string, Promise<void>>();
function load(locale: Locale, part: Part): Promise<void> {
	const key = `${locale}/${part}`;
	let done = loading.get(key);
	if (!done) {
		done = sources[locale][part]().then((m) => void Object.assign(dictionaries[locale], m.default));
		// A failed fetch (the network dropped) is tried again by the next page that needs it.
		done.catch(() => loading.delete(key));
		loading.set(key, done);
	}
	return done;
}

function loadParts(locale: Locale, parts: Part[]): Promise<unknown> {
	const languages: Locale[] = locale === 'en' ? ['vi', 'en'] : ['vi'];
	return Promise.all(languages.flatMap((l) => parts.map((p) => load(l, p))));
}

/** The texts a route needs, before it renders (app/routes/+layout.ts). */
export async function loadDictionaries(locale: Locale, routeId: string | null = null): Promise<void> {
	await loadParts(locale, partsFor(routeId));
}

/** One more part, for a component that brings its own texts along with its code (SittingVideo: 'video'). */
export async function loadTexts(locale: Locale, part: Part): Promise<void> {
	await loadParts(locale, [part]);
}
