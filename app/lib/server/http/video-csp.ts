import { browserConnectSources } from '../../../../media/index';
import { mediaConfig } from '../media/runtime';

/**
 * The build's CSP (svelte.config.js) lets pages connect to any ws/wss/http/https origin, because the video
 * server is only known at run time (LIVEKIT_URL, or the embedded LiveKit's address). Each page therefore gets a
 * second policy naming exactly that server: a browser enforces every policy it is given, so connections are
 * allowed only to this origin and the video server (none at all when video is off).
 */
export function narrowConnectSources(response: Response): void {
	if (!response.headers.has('content-security-policy')) return;
	const sources = ["'self'", ...browserConnectSources(mediaConfig())].join(' ');
	try {
		response.headers.append('content-security-policy', `connect-src ${sources}`);
	} catch {
		// immutable headers (a fetched response): not a page
	}
}
