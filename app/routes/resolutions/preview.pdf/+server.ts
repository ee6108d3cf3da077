import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { translate, type Locale } from '$lib/i18n';
import { serverCaller } from '$lib/server/api/caller';
import { refusalOf } from '$lib/server/api/refusal';
import type { RequestHandler } from './$types';

/**
 * POST /resolutions/preview.pdf — the resolution editor's form posts its draft here (field `draft`, the JSON
 * input of `resolution.preview`) with the preview frame, or a new tab, as its target, so the browser shows the
 * PDF from a same-origin address (a blob: address would inherit the page's `object-src 'none'` and the PDF viewer
 * would be refused). Validation, authorisation and rendering are the procedure's; this only unwraps the form.
 */
export const POST: RequestHandler = async (event) => {
	const locale = event.locals.locale;
	let input: unknown;
	try {
		const form = await event.request.formData();
		input = JSON.parse(String(form.get('draft') ?? ''));
	} catch {
		return refusal(locale, 400, translate(locale, 'resolution.preview.unreadable'));
	}
	try {
		const { pdfBase64 } = await serverCaller(event).resolution.preview(input as Parameters<ReturnType<typeof serverCaller>['resolution']['preview']>[0]);
		return new Response(Buffer.from(pdfBase64, 'base64'), {
			headers: {
				'content-type': 'application/pdf',
				'content-disposition': 'inline; filename="du-thao-nghi-quyet.pdf"',
				'cache-control': 'private, no-store',
				// Shown inside the editor's own frame; no other site may frame it.
				'x-frame-options': 'SAMEORIGIN',
				'content-security-policy': "frame-ancestors 'self'"
			}
		});
	} catch (err) {
		if (!(err instanceof TRPCError)) throw err;
		// The procedure's refusal in the reader's language (refusal.ts); a fault says only that it failed.
		const refused = refusalOf(err, locale);
		return refusal(locale, refused?.status ?? getHTTPStatusCodeFromError(err), refused?.message ?? translate(locale, 'error.internal'));
	}
};

/** A small page in the preview frame that says why there is no preview (the frame has no app around it). */
function refusal(locale: Locale, status: number, message: string): Response {
	const escaped = message.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
	const html = `<!doctype html><html lang="${locale}"><meta charset="utf-8"><title>${translate(locale, 'resolution.preview.failed')}</title><body style="font:16px/1.5 system-ui,sans-serif;margin:1rem;color:#7a1010"><p role="alert"><strong>${translate(locale, 'resolution.preview.failed')}</strong><br>${escaped}</p></body></html>`;
	return new Response(html, {
		status,
		headers: {
			'content-type': 'text/html; charset=utf-8',
			'cache-control': 'no-store',
			'x-frame-options': 'SAMEORIGIN',
			'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
		}
	});
}
