import { errorMessage } from '$lib/trpc';

/**
 * Runs a user's action against the server (the authority): one at a time, and the server's own message
 * (already in the user's language) shown on refusal.
 */
export class Action {
	busy = $state(false);
	error = $state('');
	done = $state('');

	async run<T>(fn: () => Promise<T>, doneText = ''): Promise<T | undefined> {
		if (this.busy) return undefined;
		this.busy = true;
		this.error = '';
		this.done = '';
		try {
			const result = await fn();
			this.done = doneText;
			return result;
		} catch (err) {
			this.error = errorMessage(err);
			return undefined;
		} finally {
			this.busy = false;
		}
	}
}
