/**
 * Process lifecycle shared between the launcher (scripts/start.ts) and the bundled app. They are separate
 * module graphs (the app is built by Vite), so the registry lives on globalThis under a registered symbol.
 */
interface Lifecycle {
	shutdown: AbortController;
	cleanups: (() => Promise<void> | void)[];
}

const KEY = Symbol.for('nghi-truong-so.lifecycle');

export function lifecycle(): Lifecycle {
	const g = globalThis as unknown as Record<symbol, Lifecycle | undefined>;
	g[KEY] ??= { shutdown: new AbortController(), cleanups: [] };
	return g[KEY]!;
}

/** Aborted when the process begins a graceful shutdown: live subscriptions end on it. */
export function shutdownSignal(): AbortSignal {
	return lifecycle().shutdown.signal;
}

/** Registers work to do after in-flight requests finished (close pools, listeners). */
export function onShutdown(cleanup: () => Promise<void> | void): void {
	lifecycle().cleanups.push(cleanup);
}
