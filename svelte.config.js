import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/**
 * Where the browser may connect for video (CSP connect-src): livekit-client opens its signalling WebSocket
 * (ws/wss) to LIVEKIT_URL and, when that fails, calls GET /rtc/validate on the same host over http(s). The
 * CSP is fixed at build time, while LIVEKIT_URL is read at run time: a build made with LIVEKIT_URL set pins
 * exactly that origin (both schemes); a build without it allows any ws:/wss:/http:/https: origin for
 * connect-src only (scripts stay 'self', so injected code is still blocked). Rebuild after changing the URL.
 */
function livekitConnectSources() {
	const value = (process.env.LIVEKIT_URL ?? '').trim();
	if (!value) return ['ws:', 'wss:', 'http:', 'https:'];
	let url;
	try {
		url = new URL(value);
	} catch {
		return ['ws:', 'wss:', 'http:', 'https:']; // the app reports the bad value at run time (video disabled)
	}
	const secure = url.protocol === 'wss:' || url.protocol === 'https:';
	return [`${secure ? 'wss' : 'ws'}://${url.host}`, `${secure ? 'https' : 'http'}://${url.host}`];
}

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
				'connect-src': ['self', ...livekitConnectSources()],
				'frame-ancestors': ['none'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
