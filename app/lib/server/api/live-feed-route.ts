import type { RequestEvent } from '@sveltejs/kit';
import { LiveFeed } from '../realtime/live-feed';
import { sseResponse } from '../realtime/sse-response';
import { createCallerFactory, SSE_OPTIONS } from './init';
import { createContext } from './request-context';
import { appRouter } from './root';

const createCaller = createCallerFactory(appRouter);

/** Subscriptions whose procedure returns a LiveFeed; only these take the fast path. */
const LIVE_FEED_PATHS = new Set(['sitting.events']);

type Procedure = (input: unknown, opts: { signal: AbortSignal }) => Promise<unknown>;

/** The input tRPC would give the procedure: `?input=` JSON, with the reconnecting EventSource's last id. */
function subscriptionInput(event: RequestEvent): unknown {
	const raw = event.url.searchParams.get('input');
	let input: unknown = raw === null ? undefined : JSON.parse(raw);
	const lastEventId = event.request.headers.get('last-event-id') ?? event.url.searchParams.get('lastEventId') ?? event.url.searchParams.get('Last-Event-Id');
	if (lastEventId) input = input && typeof input === 'object' ? { ...input, lastEventId } : (input ?? { lastEventId });
	return input;
}

/**
 * The fast path for live feeds over HTTP (e.g. `sitting.events`, thousands of screens per sitting). The
 * procedure itself runs through `createCaller` — input validation, sign-in and the council role check are
 * exactly tRPC's — and returns a LiveFeed; its events are then written as tRPC's SSE frames, each serialised
 * once per instance and written to every stream, instead of through tRPC's per-stream pipeline (an async
 * generator chain, a ping timer per event and four writes per event, per stream), which could not keep up with
 * a city-wide vote. Anything else — a refusal, bad input, a batch — returns null and tRPC answers it.
 */
export async function liveFeedResponse(event: RequestEvent): Promise<Response | null> {
	if (event.request.method !== 'GET' || event.url.searchParams.has('batch')) return null;
	const path = event.url.pathname.slice('/api/trpc/'.length);
	if (!LIVE_FEED_PATHS.has(path)) return null;
	let feed: unknown;
	try {
		const input = subscriptionInput(event);
		let target: unknown = createCaller(createContext(event));
		for (const part of path.split('.')) target = (target as Record<string, unknown>)[part];
		feed = await (target as Procedure)(input, { signal: event.request.signal });
	} catch {
		return null; // tRPC runs the call again and answers with its own error (same message, same status)
	}
	if (!(feed instanceof LiveFeed)) return null;
	const live = feed as LiveFeed<{ seq: number }, unknown>;
	return sseResponse((sink) => live.attach(sink), live.frame, { clientOptions: SSE_OPTIONS.client, pingIntervalMs: SSE_OPTIONS.ping.intervalMs });
}
