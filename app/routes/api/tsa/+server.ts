import { translate } from '$lib/i18n';
import { getDb } from '$lib/server/db';
import { readCapped } from '$lib/server/http/read-capped';
import { log } from '$lib/server/log';
import { answerTimestampRequest, TSA_MAX_REQUEST_BYTES } from '$lib/server/resolutions/tsa';
import type { RequestHandler } from './$types';

const plain = (status: number, text: string) => new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } });

/**
 * POST /api/tsa — for signed-in users (each stamp costs an RSA signature, so it is not open to anyone who can
 * reach the server): the city's RFC 3161 timestamp authority over HTTP (RFC 3161 §3.4). The body is a DER
 * TimeStampReq (`application/timestamp-query`, at most 64 KB); the answer a DER TimeStampResp
 * (`application/timestamp-reply`), granted or, for a request it cannot stamp, a rejection with its failure
 * info, both with status 200 as the RFC has it. Wrong content type: 415; too large: 413.
 */
export const POST: RequestHandler = async ({ request, locals }) => {
	if (!locals.user) return plain(401, translate(locals.locale, 'tsa.signInRequired'));
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/timestamp-query') return plain(415, 'expected application/timestamp-query');
	if (Number(request.headers.get('content-length') ?? '0') > TSA_MAX_REQUEST_BYTES) return plain(413, 'request too large');
	const body = await readCapped(request.body, TSA_MAX_REQUEST_BYTES);
	if (!body) return plain(413, 'request too large');
	let reply: Uint8Array;
	try {
		reply = await answerTimestampRequest(getDb(), body);
	} catch (err) {
		// The TSA identity could not be read or made (database down, no city council, wrong CA_KEY_SECRET).
		log.error('timestamp authority unavailable', { err });
		return plain(503, 'timestamp authority unavailable');
	}
	return new Response(Buffer.from(reply), { status: 200, headers: { 'content-type': 'application/timestamp-reply', 'cache-control': 'no-store' } });
};
