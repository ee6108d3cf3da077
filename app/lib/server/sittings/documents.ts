import { json } from '@sveltejs/kit';
import { translate, type Locale } from '../../i18n';
import { log } from '../log';
import { createHash } from 'node:crypto';
import type { Db } from '../../../../db/client.js';
import type { AuthUser } from '../auth/current-user';
import { AppError, ERROR_STATUS, forbidden, isDatabaseUnavailable } from '../errors';
import { READERS, checkCouncilAccess, type CouncilAccess } from '../auth/council-access';
import { pdfJobs } from '../pdf-jobs/pool';
import { WorkerJobError } from '../worker-pool/pool';
import { appendEvent } from './events';
import { lockedSitting } from './service';

/** The largest document accepted (20 MB). */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
export const MAX_DOCUMENT_MB = 20;

/** Who manages a sitting's documents: the secretary and the chair of that council. */
export const DOCUMENT_MANAGERS: CouncilAccess = { roles: ['secretary', 'chair'] };

/**
 * A PDF is recognised by its content, never by its name or declared type: it must start with `%PDF-`, its
 * streams must not decode to more than the inflation limits (a decompression bomb is refused before anything
 * inflates it), and pdf-lib must parse it into at least one page (encrypted PDFs are accepted: readers can open
 * them). All of it runs in the PDF worker pool, with a time budget and a heap limit, never on the event loop.
 * Refusals are AppErrors (400 not a PDF, 413 a bomb, 503 workers busy); nothing is stored.
 */
export async function assertPdf(bytes: Uint8Array): Promise<void> {
	let check;
	try {
		check = await pdfJobs().run('checkUpload', { bytes });
	} catch (err) {
		if (!(err instanceof WorkerJobError)) throw err;
		// Overran its time budget or its worker's memory: the file is what made it so.
		if (err.code === 'TIMEOUT' || err.code === 'CRASHED') throw new AppError('BAD_REQUEST', 'document.tooComplex', undefined, err);
		if (err.code === 'BUSY') throw new AppError('SERVICE_UNAVAILABLE', 'document.busy', undefined, err);
		log.error('PDF upload check could not run', { err });
		throw new AppError('SERVICE_UNAVAILABLE', 'document.checkUnavailable', undefined, err);
	}
	if (check.ok) return;
	if (check.reason === 'inflation') throw new AppError('PAYLOAD_TOO_LARGE', 'document.inflationBomb', { maxMb: Math.round(check.limitBytes / (1024 * 1024)) });
	if (check.reason === 'unmeasurable') throw new AppError('BAD_REQUEST', 'document.unmeasurable');
	throw new AppError('BAD_REQUEST', 'document.notPdf');
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** The council of a sitting, or null when there is no such sitting. */
export async function sittingCouncil(db: Db, sittingId: string): Promise<string | null> {
	return (await db.selectFrom('sittings').select('council_id').where('id', '=', sittingId).executeTakeFirst())?.council_id ?? null;
}

/** Refuses (403) unless the user may manage the sitting's documents; unknown sittings are refused alike. */
export async function assertCanManageDocuments(db: Db, user: AuthUser | null, sittingId: string): Promise<string> {
	if (!user) throw new AppError('UNAUTHORIZED', 'auth.required');
	const councilId = await sittingCouncil(db, sittingId);
	if (!councilId) throw forbidden();
	checkCouncilAccess(user, councilId, DOCUMENT_MANAGERS);
	return councilId;
}

export interface StoredDocument {
	id: string;
	sittingId: string;
	itemId: string | null;
	title: string;
	filename: string;
	sizeBytes: number;
	sha256: string;
	uploadedAt: string;
}

/** A clean file name for the Content-Disposition header and the list (no paths, no control characters). */
export function cleanFilename(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	// eslint-disable-next-line no-control-regex
	const cleaned = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim().slice(0, 200);
	return cleaned || 'tai-lieu.pdf';
}

/**
 * Stores a checked PDF and tells every screen of the sitting, in one transaction: the document exists
 * exactly when its `document.added` event does.
 */
export async function storeDocument(
	db: Db,
	input: { sittingId: string; itemId?: string | null; title?: string | null; filename: string; bytes: Uint8Array; uploadedBy: string }
): Promise<StoredDocument> {
	if (input.bytes.length > MAX_DOCUMENT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', 'document.tooLarge', { maxMb: MAX_DOCUMENT_MB });
	await assertPdf(input.bytes);
	const sha256 = sha256Hex(input.bytes);
	const filename = cleanFilename(input.filename);
	const title = (input.title?.trim() || filename.replace(/\.pdf$/i, '')).slice(0, 300);
	return db.transaction().execute(async (trx) => {
		await lockedSitting(trx, input.sittingId);
		if (input.itemId) {
			const item = await trx.selectFrom('agenda_items').select('id').where('id', '=', input.itemId).where('sitting_id', '=', input.sittingId).executeTakeFirst();
			if (!item) throw new AppError('BAD_REQUEST', 'sitting.itemNotInSitting');
		}
		const row = await trx
			.insertInto('documents')
			.values({
				sitting_id: input.sittingId,
				item_id: input.itemId ?? null,
				title,
				filename,
				size_bytes: input.bytes.length,
				sha256,
				content: Buffer.from(input.bytes),
				uploaded_by: input.uploadedBy
			})
			.returning(['id', 'uploaded_at'])
			.executeTakeFirstOrThrow();
		const doc: StoredDocument = {
			id: row.id,
			sittingId: input.sittingId,
			itemId: input.itemId ?? null,
			title,
			filename,
			sizeBytes: input.bytes.length,
			sha256,
			uploadedAt: new Date(row.uploaded_at).toISOString()
		};
		await appendEvent(trx, input.sittingId, 'document.added', { ...doc });
		return doc;
	});
}

/** A document with its content, for a reader of its council (any council role, or monitor/admin). */
export async function readDocument(db: Db, user: AuthUser | null, documentId: string) {
	if (!user) throw new AppError('UNAUTHORIZED', 'auth.required');
	const doc = await db
		.selectFrom('documents as d')
		.innerJoin('sittings as s', 's.id', 'd.sitting_id')
		.select(['d.id', 'd.title', 'd.filename', 'd.size_bytes', 'd.sha256', 'd.content', 's.council_id'])
		.where('d.id', '=', documentId)
		.executeTakeFirst();
	// An unknown id is answered like another council's document (403), as the procedures do, so ids cannot be probed.
	if (!doc) throw forbidden();
	// Readers of the document's own council only (a delegate never sees another council's papers).
	checkCouncilAccess(user, doc.council_id, READERS);
	return doc;
}

// HTTP answers of the document endpoints

/** The same error shape as the API's (message in the user's language, the key as code). */
export function errorResponse(locale: Locale, status: number, key: string, params?: Record<string, string | number>): Response {
	return json({ error: { message: translate(locale, key, params), code: key } }, { status });
}

export function fromError(locale: Locale, err: unknown, what: string): Response {
	if (err instanceof AppError) return errorResponse(locale, ERROR_STATUS[err.code], err.i18nKey, err.params);
	if (isDatabaseUnavailable(err)) return errorResponse(locale, 503, 'error.database');
	log.error(what, { err });
	return errorResponse(locale, 500, 'error.internal');
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
