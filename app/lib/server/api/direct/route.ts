import type { IncomingMessage, ServerResponse } from 'node:http';
import { log } from '../../log';
import { answerLiveFeed } from './live-feed';
import { answerMutation } from './mutation';
import { sendJson } from './request';

// The hot paths of a city-wide vote, answered on node:http before SvelteKit (registered in hooks.server.ts,
// called by scripts/start.ts): every delegate's ballot and every screen's live feed. Each still runs its
// procedure through tRPC's createCaller, so validation, sign-in, council roles and errors are tRPC's; what is
// skipped is SvelteKit's Request/Response objects, hooks and routing, and tRPC's URL and body handling —
// together most of the server's time per ballot. Everything else (batched calls, other procedures and
// content types) goes the usual way.

const PREFIX = '/api/trpc/';
const DIRECT_MUTATIONS = new Set(['vote.cast']);
const DIRECT_LIVE_FEEDS = new Set(['sitting.events']);

export function directApiRoute(req: IncomingMessage, res: ServerResponse, next: () => void): void {
	const url = req.url ?? '';
	if (!url.startsWith(PREFIX)) return next();
	const query = url.indexOf('?');
	const path = url.slice(PREFIX.length, query < 0 ? undefined : query);
	const params = new URLSearchParams(query < 0 ? '' : url.slice(query + 1));
	let answer: Promise<void> | null = null;
	if (req.method === 'POST' && DIRECT_MUTATIONS.has(path) && query < 0 && req.headers['content-type']?.toLowerCase().startsWith('application/json')) {
		answer = answerMutation(req, res, path);
	} else if (req.method === 'GET' && DIRECT_LIVE_FEEDS.has(path) && !params.has('batch')) {
		answer = answerLiveFeed(req, res, path, params, next);
	}
	if (!answer) return next();
	answer.catch((err) => {
		log.error('direct API call failed', { path, err });
		if (res.headersSent) res.destroy();
		else sendJson(res, 500, { error: { message: 'Internal error', code: -32603 } });
	});
}
