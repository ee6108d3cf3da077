// The shape of `secretBallot.setup` as the screens read it, and the polling both screens use while the committee
// works (the server sends no event per key, dealing or partial: a modest poll, stopped when nothing can change).
import { trpc } from '$lib/trpc';

export type SetupView = Awaited<ReturnType<typeof trpc.secretBallot.setup.query>>;

/** Whether the setup can still change (keying, waiting to open, casting, counting): then it is polled. */
export function stillMoving(view: SetupView | null): boolean {
	if (!view) return true;
	if (view.phase === 'cancelled') return false;
	return !view.counting?.counted;
}

/**
 * Follows a setup: loads it now, then every `everyMs` while `stillMoving` (or while `keepPolling` says so), and
 * calls `onView` with each answer. Returns the stop function (the component's cleanup).
 */
export function followSetup(setupId: string, onView: (v: SetupView) => void, onError: (err: unknown) => void, everyMs = 2000, keepPolling: (v: SetupView) => boolean = stillMoving): () => void {
	let stopped = false;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const tick = async () => {
		try {
			const view = await trpc.secretBallot.setup.query({ setupId });
			if (stopped) return;
			onView(view);
			if (keepPolling(view)) timer = setTimeout(tick, everyMs);
		} catch (err) {
			if (stopped) return;
			onError(err);
			timer = setTimeout(tick, everyMs * 3);
		}
	};
	void tick();
	return () => {
		stopped = true;
		clearTimeout(timer);
	};
}
