import { untrack } from 'svelte';
import type { Translate } from '$lib/i18n';
import { LiveSitting } from './live.svelte';
import type { SittingPageData } from './types';

/**
 * The live state of the sitting a screen shows, following the page's data. SvelteKit keeps the page component
 * when the route stays the same, so a link to another sitting only brings new `data`: that builds a new
 * LiveSitting from the new snapshot and moves the one subscription to it, and the old sitting is never shown
 * under the new one's address. A re-read of the same sitting (same id) keeps the state the stream has moved on.
 * Call it during a component's initialisation (it owns an effect).
 */
export function followSitting(data: () => SittingPageData, t: Translate): { readonly live: LiveSitting } {
	const id = $derived(data().detail.id);
	const live = $derived.by(() => {
		void id;
		return untrack(() => new LiveSitting(data(), t));
	});
	$effect(() => {
		const current = live;
		return untrack(() => current.connect());
	});
	return {
		get live() {
			return live;
		}
	};
}
