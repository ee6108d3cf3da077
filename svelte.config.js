import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { withBuiltEntries } from './scripts/compile-entry.mjs';

/**
 * Where the browser may connect for video (CSP connect-src): the video server is known only at run time (LIVEKIT_URL,
 * or the embedded LiveKit), so the build allows any ws:/wss:/http:/https: origin for connections only (scripts stay
 * 'self'), and every page gets a second policy naming exactly that server (app/lib/server/http/video-csp.ts).
 */
const VIDEO_CONNECT_SOURCES = ['ws:', 'wss:', 'http:', 'https:'];

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// The build also compiles the launcher and the worker entries into build/entries (scripts/built-entries.mjs).
		adapter: withBuiltEntries(adapter({ out: 'build' }), 'build'),
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
		// The database layer has no alias: it is imported by relative path everywhere (eslint.config.js says so).
		alias: {
			$signing: 'signing',
			$media: 'media'
		},
		// CSRF is checked in hooks.server.ts for every write (Origin / Sec-Fetch-Site), with the public endpoints
		// (signed webhooks, PDF verification) exempt. SvelteKit's own check would refuse a plain `curl -F` upload
		// to /api/verify (no Origin header) before the hook could exempt it.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:'],
				'connect-src': ['self', ...VIDEO_CONNECT_SOURCES],
				'frame-ancestors': ['none'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
