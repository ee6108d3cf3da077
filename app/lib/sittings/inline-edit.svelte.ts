import { tick } from 'svelte';

/**
 * An edit-in-place toggle of the sitting's editors: opening fills the fields afresh and puts the focus in the first
 * one; closing hands the focus back to the button that opened it, so a keyboard user stays where they were.
 */
export class InlineEdit {
	editing = $state(false);
	button: HTMLButtonElement | undefined = $state();
	first: HTMLInputElement | undefined = $state();

	async open(fill: () => void): Promise<void> {
		fill();
		this.editing = true;
		await tick();
		this.first?.focus();
	}

	async close(): Promise<void> {
		this.editing = false;
		await tick();
		this.button?.focus();
	}

	toggle(fill: () => void): Promise<void> {
		return this.editing ? this.close() : this.open(fill);
	}
}
