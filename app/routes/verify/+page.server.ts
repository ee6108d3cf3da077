import { fail } from '@sveltejs/kit';
import { translate } from '$lib/i18n';
import { getDb } from '$lib/server/db';
import { log } from '$lib/server/log';
import { latestPdf } from '$lib/server/resolutions/service';
import { readUpload } from '$lib/server/resolutions/upload';
import { verifyDocument } from '$lib/server/resolutions/verify';
import type { Actions, PageServerLoad } from './$types';

/** Public: `?code=` from the QR code shows the issued resolution and the verification of its archived file. */
export const load: PageServerLoad = async ({ url, locals }) => {
	const code = (url.searchParams.get('code') ?? '').trim().toUpperCase();
	if (!code) return { code: null, resolution: null, stored: null, notFound: false };
	const db = getDb();
	const r = /^[0-9A-Z]{4,32}$/.test(code)
		? await db
				.selectFrom('resolutions as r')
				.innerJoin('councils as c', 'c.id', 'r.council_id')
				.select(['r.id', 'r.number', 'r.title', 'r.status', 'r.issued_at', 'r.council_id', 'c.name as councilName'])
				.where('r.short_code', '=', code)
				.where('r.status', '=', 'issued')
				.executeTakeFirst()
		: undefined;
	if (!r) return { code, resolution: null, stored: null, notFound: true };
	const file = await latestPdf(db, r.id);
	const stored = file?.revision ? await verifyDocument(db, file.revision.pdf, locals.locale) : null;
	return {
		code,
		notFound: false,
		resolution: {
			id: r.id,
			number: r.number,
			title: r.title,
			status: r.status,
			issuedAt: r.issued_at?.toISOString() ?? null,
			councilId: r.council_id,
			councilName: r.councilName
		},
		stored
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		try {
			const upload = await readUpload(request);
			if (!upload.ok) return fail(upload.status, { error: translate(locals.locale, upload.key) });
			const outcome = await verifyDocument(getDb(), upload.bytes, locals.locale);
			if (!outcome.ok) return fail(outcome.status, { error: outcome.message });
			return { report: outcome };
		} catch (err) {
			log.warn('verify upload failed', { err });
			return fail(400, { error: translate(locals.locale, 'verify.badRequest') });
		}
	}
};
