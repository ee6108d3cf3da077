import { dictionaries, type Locale } from './dictionaries';

export { loadDictionaries, loadTexts } from './dictionaries';
export type { Locale };
export const LOCALES: Locale[] = ['vi', 'en'];
export const DEFAULT_LOCALE: Locale = 'vi';
export const LOCALE_COOKIE = 'lang';

export type Params = Record<string, string | number>;

// Each feature keeps its texts beside its code as {vi, en}; they are merged into one layer per language in
// ./dictionaries (the browser gets only its page's language).

export function isLocale(value: unknown): value is Locale {
	return value === 'vi' || value === 'en';
}

export function translate(locale: Locale, key: string, params?: Params): string {
	const template = dictionaries[locale][key] ?? dictionaries.vi[key] ?? key;
	if (!params) return template;
	return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type Translate = (key: string, params?: Params) => string;

export function translator(locale: Locale): Translate {
	return (key, params) => translate(locale, key, params);
}

export function hasKey(key: string): boolean {
	return key in dictionaries.vi;
}
