import { messages as signingMessages, modificationKindMessages, problemMessages as signingProblems, verdictMessages } from '../../../../signing/messages';

export type Dictionary = Record<string, string>;

/** One locale's texts from each feature's own {vi, en} file, merged into one layer (later sources win). */
export function merge(sources: Dictionary[]): Dictionary {
	return Object.assign({}, ...sources);
}

// Signing error codes are their own keys (SigningError.code); verification problems are `verify.problem.CODE`,
// document verdicts `verify.verdict.CODE`, what a change after signing touched `verify.kind.KIND`.
const prefixed = (d: Record<string, string>, prefix: string): Dictionary => Object.fromEntries(Object.entries(d).map(([k, v]) => [prefix + k, v]));
export function signingTexts(locale: 'vi' | 'en'): Dictionary {
	return {
		...signingMessages[locale],
		...prefixed(signingProblems[locale], 'verify.problem.'),
		...prefixed(verdictMessages[locale], 'verify.verdict.'),
		...prefixed(modificationKindMessages[locale], 'verify.kind.')
	};
}
