import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A handler that may answer a request on node:http before SvelteKit sees it; it calls `next` to pass the
 * request on. The app registers it when SvelteKit initialises (hooks.server.ts `init`), and the server asks it
 * first: scripts/start.ts in production, the Vite plugin of scripts/vite-node-routes.ts under `npm run dev`. They
 * meet on a global symbol because the launcher and the SvelteKit build are separate bundles: importing the app's
 * other modules from the launcher would give it a second copy of them (and of the database pool). This module
 * holds no state of its own, so either side may import it.
 */
export type NodeRoute = (req: IncomingMessage, res: ServerResponse, next: () => void) => void;

const KEY = Symbol.for('nghi-truong-so.node-route');

export function registerNodeRoute(route: NodeRoute): void {
	(globalThis as Record<symbol, unknown>)[KEY] = route;
}

/** The registered route, or none before SvelteKit has initialised. */
export function registeredNodeRoute(): NodeRoute | undefined {
	return (globalThis as Record<symbol, unknown>)[KEY] as NodeRoute | undefined;
}
