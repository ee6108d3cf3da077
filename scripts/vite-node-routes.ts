import type { Plugin } from 'vite';
import { registeredNodeRoute } from '../app/lib/server/http/node-route';

/**
 * `npm run dev` answers the same routes on node:http before SvelteKit as `npm start` does (scripts/start.ts):
 * the ballot and the live feed of a sitting (app/lib/server/api/direct/). Vite's dev server runs the app's server
 * modules in this process, so the route SvelteKit's `init` registers is found here as it is in production.
 */
export function nodeRoutes(): Plugin {
	return {
		name: 'nghi-truong-so:node-routes',
		apply: 'serve',
		configureServer(server) {
			// Added before SvelteKit's own middleware (which the kit plugin adds after Vite's).
			server.middlewares.use((req, res, next) => {
				const route = registeredNodeRoute();
				if (route) route(req, res, () => next());
				else next();
			});
			// SvelteKit initialises on its first request: ask for one as soon as the server listens, so the routes
			// are registered before a browser's first ballot rather than after it.
			server.httpServer?.once('listening', () => {
				const address = server.httpServer?.address();
				if (address && typeof address === 'object') void fetch(`http://127.0.0.1:${address.port}/api/health`).catch(() => {});
			});
		}
	};
}
