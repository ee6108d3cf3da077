import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		files: {
			assets: 'app/static',
			hooks: { client: 'app/hooks.client', server: 'app/hooks.server', universal: 'app/hooks' },
			lib: 'app/lib',
			params: 'app/params',
			routes: 'app/routes',
			serviceWorker: 'app/service-worker',
			appTemplate: 'app/app.html',
			errorTemplate: 'app/error.html'
		},
		alias: {
			$db: 'db',
			$signing: 'signing',
			$media: 'media'
		},
		// CSRF: SvelteKit refuses cross-origin form posts; tRPC calls are additionally checked in hooks.server.ts.
		csrf: { trustedOrigins: [] },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'connect-src': ['self', 'ws:', 'wss:'],
				'frame-ancestors': ['none'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
