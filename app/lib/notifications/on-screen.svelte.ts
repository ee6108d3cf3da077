/**
 * What the page in front of the user already shows, so the notification centre does not toast it again: a toast
 * about the vote whose ballot is on screen would only cover that ballot (and could be tapped mid-vote).
 *
 * A component that shows something registers it for as long as it is mounted; the notification centre filters its
 * toasts through `isOnScreen`, reactively, so the toast also goes when the ballot appears after it (the per-user
 * notification stream and the sitting's event stream arrive in either order).
 * Matching is by the notification's kind, link and title, which is all a notification carries (the vote notice's
 * title is the vote's question, its link the sitting page: `sitting-notices.ts`).
 */

export interface OnScreenKey {
	kind: string;
	link: string;
	title: string;
}

const keyOf = (k: OnScreenKey) => JSON.stringify([k.kind, k.link, k.title]);

// A plain reactive list (not a Set of strings): several components may show the same thing at once.
let shown = $state<string[]>([]);

/** Registers something shown on screen; returns the function that removes it (call it when it leaves). */
export function showOnScreen(key: OnScreenKey): () => void {
	const k = keyOf(key);
	shown = [...shown, k];
	return () => {
		const i = shown.indexOf(k);
		if (i >= 0) shown = [...shown.slice(0, i), ...shown.slice(i + 1)];
	};
}

export function isOnScreen(n: { kind: string; link: string | null; title: string }): boolean {
	return n.link !== null && shown.includes(keyOf({ kind: n.kind, link: n.link, title: n.title }));
}
