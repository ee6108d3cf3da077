import type { IncomingMessage, ServerResponse } from 'node:http';
import { LiveFeed } from '../../realtime/live-feed';
import { writeSseResponse } from '../../realtime/sse-response';
import { SSE_OPTIONS } from '../init';
import { header, procedureAt, requestContext, signIn } from './request';


/** The input tRPC would give the procedure: `?input=` JSON, with the reconnecting EventSource's last id. */
function subscriptionInput(req: IncomingMessage, params: URLSearchParams): unknown {
	const raw = params.get('input');
	let input: unknown = raw === null ? undefined : JSON.parse(raw);
	const lastEventId = header(req, 'last-event-id') ?? params.get('lastEventId') ?? params.get('Last-Event-Id');
	if (lastEventId) input = input && typeof input === 'object' ? { ...input, lastEventId } : (input ?? { lastEventId });
	return input;
}

/**
 * A live feed (`GET /api/trpc/sitting.events`, thousands of screens per sitting) answered on node:http. The
 * procedure runs through `createCaller` — input validation, sign-in and the council role check are exactly
 * tRPC's — and returns a LiveFeed, whose events are then written as tRPC's SSE frames, each serialised once per
 * instance and written to every stream (sse-response.ts), instead of through tRPC's per-stream pipeline (an
 * async generator chain, a ping timer and web-stream reads per event, per stream), which could not keep up with
 * a city-wide vote. A refusal or bad input calls `next`: tRPC then answers with its own error, as always.
 */
export async function answerLiveFeed(req: IncomingMessage, res: ServerResponse, path: string, params: URLSearchParams, next: () => void): Promise<void> {
	const { cookies, ctx } = requestContext(req, res);
	if (!(await signIn(ctx, cookies, res))) return;
	const closed = new AbortController();
	res.on('close', () => closed.abort());
	let feed: unknown;
	try {
		feed = await procedureAt(ctx, path)(subscriptionInput(req, params), { signal: closed.signal });
	} catch {
		return next();
	}
	if (!(feed instanceof LiveFeed)) return next();
	if (closed.signal.aborted) return; // the screen went away while we checked: nothing to attach
	const live = feed as LiveFeed<{ seq: number }, unknown>;
	writeSseResponse(res, (sink) => live.attach(sink), live.frame, { clientOptions: SSE_OPTIONS.client, pingIntervalMs: SSE_OPTIONS.ping.intervalMs });
}
