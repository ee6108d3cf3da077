import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { receiveWebhook } from '$lib/server/media/webhook';
import type { RequestHandler } from './$types';

/** LiveKit's webhooks (signed with the API secret). The raw body is verified as sent: never parse it first. */
const MAX_BODY_BYTES = 256 * 1024;

export const POST: RequestHandler = async ({ request }) => {
	const length = Number(request.headers.get('content-length') ?? 0);
	if (length > MAX_BODY_BYTES) return text(413, 'payload too large');
	const raw = await request.text();
	if (Buffer.byteLength(raw) > MAX_BODY_BYTES) return text(413, 'payload too large');
	try {
		const outcome = await receiveWebhook(getDb(), raw, request.headers.get('authorization'));
		return outcome.status === 200 ? text(200, outcome.applied) : text(401, outcome.reason);
	} catch (err) {
		// Database down or similar: 503, and LiveKit retries later (the event id was not stored).
		log.error('livekit webhook failed', { err });
		return text(503, 'unavailable');
	}
};

function text(status: number, body: string): Response {
	return new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });
}
