import * as domain from '../domain/messages';
import * as core from './messages/core';
import * as sittings from './messages/sittings';
import * as sittingUi from './messages/sitting-ui';
import * as media from '../../../media/messages';
import * as video from '../video/messages';
import * as resolutions from './messages/resolutions';
import * as city from './messages/city';
import * as sittingNotices from './messages/sitting-notices';
import * as consultationLive from './messages/consultation-live';
import { messages as signingMessages, modificationKindMessages, problemMessages as signingProblems, verdictMessages } from '../../../signing/messages';

export type Locale = 'vi' | 'en';
export const LOCALES: Locale[] = ['vi', 'en'];
export const DEFAULT_LOCALE: Locale = 'vi';
export const LOCALE_COOKIE = 'lang';

export type Params = Record<string, string | number>;
type Dictionary = Record<string, string>;

// Signing error codes are their own keys (SigningError.code); verification problems are `verify.problem.CODE`,
// document verdicts `verify.verdict.CODE`, what a change after signing touched `verify.kind.KIND`.
const prefixed = (d: Record<string, string>, prefix: string): Dictionary => Object.fromEntries(Object.entries(d).map(([k, v]) => [prefix + k, v]));
const signingIn = (l: Locale): Dictionary => ({
	...signingMessages[l],
	...prefixed(signingProblems[l], 'verify.problem.'),
	...prefixed(verdictMessages[l], 'verify.verdict.'),
	...prefixed(modificationKindMessages[l], 'verify.kind.')
});
const signing = { vi: signingIn('vi'), en: signingIn('en') };

// Each feature keeps its texts beside its code as {vi, en}; they are merged here into one layer.
const sources: { vi: Dictionary; en: Dictionary }[] = [core, domain, sittings, media, video, sittingUi, resolutions, signing, city, sittingNotices, consultationLive];

const dictionaries: Record<Locale, Dictionary> = {
	vi: Object.assign({}, ...sources.map((s) => s.vi)),
	en: Object.assign({}, ...sources.map((s) => s.en))
};

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
