import { getContext, setContext } from 'svelte';
import { translator, type Locale, type Translate } from './index';

const KEY = Symbol('i18n');

export interface I18n {
	locale: Locale;
	t: Translate;
}

export function provideI18n(locale: Locale): I18n {
	const i18n = { locale, t: translator(locale) };
	setContext(KEY, i18n);
	return i18n;
}

export function useI18n(): I18n {
	return getContext<I18n>(KEY);
}
