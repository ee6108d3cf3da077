import type { IncomingMessage, ServerResponse } from 'node:http';
import { getTRPCErrorShape, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { crossSiteBody } from '../../http/caller-identity';
import { AppError } from '../../errors';
import { toTRPCError } from '../errors';
import { isCrossSiteWrite } from '../../http/csrf';
import { log } from '../../log';
import { appRouter } from '../root';
import { header, ownOrigin, procedureAt, requestContext, sendJson, signIn } from './request';

/**
 * Far above any ballot (200 candidates' ids); a bigger body is refused before it is parsed. Smaller than the
 * hook's DEFAULT_BODY_LIMIT (http/body-limit.ts), which this route never reaches: it answers before SvelteKit.
 */
const MAX_BODY_BYTES = 256 * 1024;

const config = appRouter._def._config;

/**
 * A mutation (`POST /api/trpc/<path>`, not batched, JSON body) answered on node:http. The call goes through
 * tRPC's `createCaller` — the same middlewares, input validation, sign-in and council-role checks — and errors
 * through tRPC's own error shape and status, so the answer is what tRPC's fetch adapter would give.
 */
export async function answerMutation(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
	const { cookies, ctx } = requestContext(req, res);
	if (isCrossSiteWrite({ method: 'POST', headers: { get: (name) => header(req, name) } }, ownOrigin(req))) {
		log.warn('cross-site write refused', { path: `/api/trpc/${path}`, origin: header(req, 'origin') });
		return sendJson(res, 403, crossSiteBody(ctx.locale), { connection: 'close' });
	}
	const body = await readBody(req);
	let input: unknown;
	try {
		if (body === null) throw new AppError('PAYLOAD_TOO_LARGE', 'error.tooLarge');
		if (!(await signIn(ctx, cookies, res))) return;
		try {
			input = body === '' ? undefined : JSON.parse(body);
		} catch (cause) {
			throw new TRPCError({ code: 'PARSE_ERROR', cause });
		}
		const data = await procedureAt(ctx, path)(input);
		sendJson(res, 200, { result: { data } });
	} catch (cause) {
		const error = toTRPCError(cause);
		const shape = getTRPCErrorShape({ config, error, type: 'mutation', path, input, ctx });
		// An unread body would hold up the next request on a kept-alive connection: close it after answering.
		sendJson(res, getHTTPStatusCodeFromError(error), { error: shape }, body === null ? { connection: 'close' } : {});
	}
}

/** The body as text, or null when it is larger than MAX_BODY_BYTES (the rest is not read). */
function readBody(req: IncomingMessage): Promise<string | null> {
	if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return Promise.resolve(null);
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) return void chunks.push(chunk);
			req.removeAllListeners('data');
			req.pause();
			resolve(null);
		});
		req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
		req.on('error', reject);
	});
}
