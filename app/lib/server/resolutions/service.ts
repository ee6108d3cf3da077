import { createHash, randomBytes } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Database, SigningIdentityKind } from '../../../../db/schema.js';
import { isSigningError, renderResolution, signPdf, type ResolutionDocument, type SignatureFieldName } from '../../../../signing/index';
import { vnDateParts } from '../../../../signing/vn-time';
import { AppError } from '../errors';
import { appendEvent, lockSitting, type Trx } from '../sittings/events';
import { signerFor } from './signers';
import { noticeResolutionWaits, resolutionLink } from './notices';
import { passphraseAttemptDone, reservePassphraseAttempt } from './passphrase-limit';
import { publicOrigin } from './origin';
import { extendToLongTerm } from './ltv';
import { cityTimestampAuthority, cityTimestamper } from './tsa';

type Writer = Db | Transaction<Database>;

export interface ResolutionBody {
	legalBases: string[];
	articles: { title?: string; paragraphs: string[] }[];
	recipients: string[];
}

export const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

// Crockford base32: no I, L, O, U, so a code read aloud or copied by hand is hard to get wrong.
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A resolution's short verification code: 10 random symbols. Each byte's low 5 bits: 256 is a multiple of 32, so every symbol is equally likely. */
function newShortCode(): string {
	const bytes = randomBytes(10);
	let code = '';
	for (const b of bytes) code += CROCKFORD[b & 0x1f];
	return code;
}

export { publicOrigin };

export function verificationUrl(shortCode: string): string {
	return `${publicOrigin()}/verify?code=${shortCode}`;
}

/** The council an agenda item belongs to (for the role guard). */
export async function councilOfItem(db: Db, itemId: string): Promise<string | null> {
	return (
		(await db
			.selectFrom('agenda_items as i')
			.innerJoin('sittings as s', 's.id', 'i.sitting_id')
			.select('s.council_id')
			.where('i.id', '=', itemId)
			.executeTakeFirst())?.council_id ?? null
	);
}

export async function draftResolution(db: Db, input: { itemId: string; title: string; body: ResolutionBody; createdBy: string }) {
	const item = await db
		.selectFrom('agenda_items as i')
		.innerJoin('sittings as s', 's.id', 'i.sitting_id')
		.select(['i.id', 'i.kind', 'i.sitting_id', 's.council_id'])
		.where('i.id', '=', input.itemId)
		.executeTakeFirst();
	if (!item) throw new AppError('NOT_FOUND', 'resolution.itemNotFound');
	if (item.kind !== 'submission') throw new AppError('BAD_REQUEST', 'resolution.itemNotSubmission');
	const row = await db
		.insertInto('resolutions')
		.values({
			council_id: item.council_id,
			sitting_id: item.sitting_id,
			item_id: item.id,
			title: input.title,
			body: JSON.stringify(input.body),
			short_code: newShortCode(),
			created_by: input.createdBy
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return { resolutionId: row.id };
}

async function lockResolution(trx: Trx, resolutionId: string) {
	const ref = await trx.selectFrom('resolutions').select('sitting_id').where('id', '=', resolutionId).executeTakeFirst();
	if (!ref) throw new AppError('NOT_FOUND', 'resolution.notFound');
	await lockSitting(trx, ref.sitting_id);
	return trx.selectFrom('resolutions').selectAll().where('id', '=', resolutionId).forUpdate().executeTakeFirstOrThrow();
}

export function updateResolution(db: Db, input: { resolutionId: string; title?: string; body?: ResolutionBody }) {
	return db.transaction().execute(async (trx) => {
		const r = await lockResolution(trx, input.resolutionId);
		if (r.status !== 'draft') throw new AppError('CONFLICT', 'resolution.notDraft');
		await trx
			.updateTable('resolutions')
			.set({ ...(input.title ? { title: input.title } : {}), ...(input.body ? { body: JSON.stringify(input.body) } : {}) })
			.where('id', '=', r.id)
			.execute();
		return { resolutionId: r.id };
	});
}

function placeName(c: { kind: string; unit_name: string; name: string }) {
	return c.kind === 'city' ? 'Thành phố Hồ Chí Minh' : c.unit_name;
}

/** The document as printed: the council's header and term, the sitting's number, the draft's own words. */
async function resolutionDocument(
	db: Writer,
	r: { council_id: string; sitting_id: string; title: string; body: unknown },
	print: { number: string; date: Date; signerName: string; verification: ResolutionDocument['verification'] }
): Promise<ResolutionDocument> {
	const council = await db.selectFrom('councils').select(['kind', 'unit_name', 'name', 'term_label']).where('id', '=', r.council_id).executeTakeFirstOrThrow();
	const sitting = await db.selectFrom('sittings').select(['number']).where('id', '=', r.sitting_id).executeTakeFirstOrThrow();
	const body = r.body as ResolutionBody;
	return {
		issuingBodyLines: ['HỘI ĐỒNG NHÂN DÂN', council.name.toLocaleUpperCase('vi')],
		councilFullName: `HỘI ĐỒNG NHÂN DÂN ${council.name.toLocaleUpperCase('vi')}`,
		placeName: placeName(council),
		number: print.number,
		date: print.date,
		title: r.title,
		termLabel: council.term_label,
		sittingNumber: sitting.number,
		legalBases: body.legalBases,
		articles: body.articles,
		recipients: body.recipients,
		signer: { positionLabel: 'CHỦ TỊCH', name: print.signerName, onBehalfOf: 'TM. HỘI ĐỒNG NHÂN DÂN' },
		verification: print.verification
	};
}

/** Printed where the number and the verification code go until adoption assigns them. */
export const PREVIEW_SHORT_CODE = 'DỰ THẢO';

/**
 * A draft as it would print, before it is saved or adopted: the same layout as adoption renders, but marked
 * "DỰ THẢO" on every page, with a blank number, and the council's chair as the signer (whoever adopts signs).
 * Nothing is stored.
 */
export async function previewResolution(db: Db, input: { itemId: string; title: string; body: ResolutionBody; now?: Date }): Promise<Uint8Array> {
	const item = await db
		.selectFrom('agenda_items as i')
		.innerJoin('sittings as s', 's.id', 'i.sitting_id')
		.select(['i.kind', 'i.sitting_id', 's.council_id'])
		.where('i.id', '=', input.itemId)
		.executeTakeFirst();
	if (!item) throw new AppError('NOT_FOUND', 'resolution.itemNotFound');
	if (item.kind !== 'submission') throw new AppError('BAD_REQUEST', 'resolution.itemNotSubmission');
	const now = input.now ?? new Date();
	const chair = await db
		.selectFrom('council_members as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select('u.full_name')
		.where('m.council_id', '=', item.council_id)
		.where('m.role', '=', 'chair')
		.where('m.active', '=', true)
		.orderBy('m.created_at')
		.executeTakeFirst();
	const doc = await resolutionDocument(db, { council_id: item.council_id, sitting_id: item.sitting_id, title: input.title, body: input.body }, {
		number: `     /${vnDateParts(now).year}/NQ-HĐND`,
		date: now,
		signerName: chair?.full_name ?? '…',
		verification: { url: `${publicOrigin()}/verify`, shortCode: PREVIEW_SHORT_CODE }
	});
	return renderResolution(doc, { renderedAt: now, draftMark: true });
}

/**
 * Adopts a draft on a closed, passing vote on the same item: assigns the next number of the council and year
 * (Vietnam time), renders the official PDF and stores it as revision 0.
 */
export function adoptResolution(db: Db, input: { resolutionId: string; voteId: string; userId: string; now?: Date }) {
	return db.transaction().execute(async (trx) => {
		const r = await lockResolution(trx, input.resolutionId);
		if (r.status !== 'draft') throw new AppError('CONFLICT', 'resolution.notAdoptable');
		const vote = await trx.selectFrom('votes').select(['id', 'item_id', 'council_id', 'status', 'result']).where('id', '=', input.voteId).executeTakeFirst();
		if (!vote || vote.council_id !== r.council_id) throw new AppError('NOT_FOUND', 'resolution.voteNotFound');
		if (vote.item_id !== r.item_id) throw new AppError('BAD_REQUEST', 'resolution.voteOtherItem');
		if (vote.status !== 'closed') throw new AppError('PRECONDITION_FAILED', 'resolution.voteNotClosed');
		if ((vote.result as { passed?: unknown } | null)?.passed !== true) throw new AppError('PRECONDITION_FAILED', 'resolution.voteNotPassed');

		const now = input.now ?? new Date();
		const year = vnDateParts(now).year;
		const counter = await trx
			.insertInto('resolution_counters')
			.values({ council_id: r.council_id, year, last: 1 })
			.onConflict((oc) => oc.columns(['council_id', 'year']).doUpdateSet((eb) => ({ last: eb('resolution_counters.last', '+', 1) })))
			.returning('last')
			.executeTakeFirstOrThrow();
		const number = `${String(counter.last).padStart(2, '0')}/${year}/NQ-HĐND`;

		const chair = await trx.selectFrom('users').select('full_name').where('id', '=', input.userId).executeTakeFirstOrThrow();
		const doc = await resolutionDocument(trx, r, { number, date: now, signerName: chair.full_name, verification: { url: verificationUrl(r.short_code), shortCode: r.short_code } });
		const pdf = await renderResolution(doc, { renderedAt: now });
		await trx.insertInto('resolution_revisions').values({ resolution_id: r.id, revision: 0, pdf, sha256: sha256Hex(pdf), signer_user_id: null }).execute();
		await trx
			.updateTable('resolutions')
			.set({ status: 'adopted', vote_id: vote.id, number, year, seq: counter.last, adopted_at: now })
			.where('id', '=', r.id)
			.execute();
		await trx.insertInto('audit_log').values({ user_id: input.userId, council_id: r.council_id, action: 'resolution.adopt', details: JSON.stringify({ resolutionId: r.id, number }) }).execute();
		await appendEvent(trx, r.sitting_id, 'resolution.adopted', { resolutionId: r.id, number, title: r.title, voteId: vote.id });
		await noticeResolutionWaits(trx, r, 'adopted', number);
		return { resolutionId: r.id, number, adoptedAt: now.toISOString() };
	});
}

const STEPS: Record<SigningIdentityKind, { from: string; to: 'signed' | 'issued'; revision: number; field: SignatureFieldName; refusal: string; title: string; event: string }> = {
	person: { from: 'adopted', to: 'signed', revision: 1, field: 'sig_chair', refusal: 'resolution.notAdopted', title: 'Chủ tịch', event: 'resolution.signed' },
	organisation: { from: 'signed', to: 'issued', revision: 2, field: 'sig_org', refusal: 'resolution.notSignedByChair', title: 'Văn thư', event: 'resolution.issued' }
};

/**
 * The chair's personal signature (kind 'person', field sig_chair) or the clerk's organisation seal (sig_org), within
 * the signing limit: each call is counted before the key is unlocked and stays counted only if the passphrase was
 * wrong (passphrase-limit.ts). The reservation is its own committed transaction, as the signing one rolls back on a
 * wrong passphrase.
 */
export async function signResolution(db: Db, input: { resolutionId: string; userId: string; passphrase: string; kind: SigningIdentityKind; now?: Date }) {
	const attempt = await reservePassphraseAttempt(db, input.userId);
	if (!attempt.ok) throw new AppError('TOO_MANY_REQUESTS', 'resolution.passphraseLimited', { minutes: attempt.minutes });
	let signed: Awaited<ReturnType<typeof signWithIdentity>>;
	try {
		signed = await signWithIdentity(db, input);
	} catch (err) {
		// A wrong token PIN counts as a wrong passphrase: both are guesses at what unlocks a key.
		if (!isSigningError(err, 'WRONG_PASSPHRASE') && !isSigningError(err, 'WRONG_PIN')) await passphraseAttemptDone(db, input.userId, attempt.id, false);
		throw err;
	}
	await passphraseAttemptDone(db, input.userId, attempt.id, true);
	return signed;
}

async function signWithIdentity(db: Db, input: { resolutionId: string; userId: string; passphrase: string; kind: SigningIdentityKind; now?: Date }) {
	const step = STEPS[input.kind];
	// The same refusals as inside the transaction, checked first: a call that will be refused must not create the
	// city's timestamp authority below (bad input changes nothing). The transaction checks again under its lock.
	const current = await db.selectFrom('resolutions').select('status').where('id', '=', input.resolutionId).executeTakeFirst();
	if (!current) throw new AppError('NOT_FOUND', 'resolution.notFound');
	if (current.status === 'issued') throw new AppError('CONFLICT', 'resolution.alreadyIssued');
	if (current.status !== step.from) throw new AppError('PRECONDITION_FAILED', step.refusal);
	// PAdES B-T: each signature gets the city TSA's timestamp. Resolved before the transaction, which must not wait
	// on the TSA's first-use creation (that may create the city's CA, which this transaction may be creating too).
	const timestamp = await cityTimestamper(db);
	// The seal also gets a document timestamp (B-LTA), whose TSA certificate goes into the DSS.
	const tsa = step.to === 'issued' ? await cityTimestampAuthority(db) : null;
	return db.transaction().execute(async (trx) => {
		const r = await lockResolution(trx, input.resolutionId);
		if (r.status === 'issued') throw new AppError('CONFLICT', 'resolution.alreadyIssued');
		if (r.status !== step.from) throw new AppError('PRECONDITION_FAILED', step.refusal);
		const now = input.now ?? new Date();
		// The key kept here, the chair's token or their remote signing service, as they chose (signers.ts).
		const signer = await signerFor(trx, { userId: input.userId, councilId: r.council_id, kind: input.kind, secret: input.passphrase, now });
		const prev = await trx
			.selectFrom('resolution_revisions')
			.select('pdf')
			.where('resolution_id', '=', r.id)
			.where('revision', '=', step.revision - 1)
			.executeTakeFirstOrThrow();
		const council = await trx.selectFrom('councils').select(['name']).where('id', '=', r.council_id).executeTakeFirstOrThrow();
		const user = await trx.selectFrom('users').select('full_name').where('id', '=', input.userId).executeTakeFirstOrThrow();
		const organization = `Hội đồng nhân dân ${council.name}`;
		let pdf = await signPdf(prev.pdf, {
			fieldName: step.field,
			signer,
			signerName: input.kind === 'organisation' ? organization : user.full_name,
			signerTitle: input.kind === 'organisation' ? `Văn thư: ${user.full_name}` : 'Chủ tịch HĐND',
			organization,
			reason: input.kind === 'organisation' ? `Ban hành Nghị quyết số ${r.number}` : `Ký Nghị quyết số ${r.number}`,
			location: council.name,
			signingTime: now,
			timestamp
		});
		// Issued: validation data (DSS, B-LT) and a document timestamp (B-LTA) after the seal, each its own update.
		if (tsa) pdf = await extendToLongTerm(trx, pdf, { councilId: r.council_id, tsa, timestamp, now });
		await trx
			.insertInto('resolution_revisions')
			.values({ resolution_id: r.id, revision: step.revision, pdf, sha256: sha256Hex(pdf), signer_user_id: input.userId, signer_method: signer.kind })
			.execute();
		await trx
			.updateTable('resolutions')
			.set(step.to === 'signed' ? { status: 'signed', signed_at: now } : { status: 'issued', issued_at: now })
			.where('id', '=', r.id)
			.execute();
		await trx.insertInto('audit_log').values({ user_id: input.userId, council_id: r.council_id, action: step.event, details: JSON.stringify({ resolutionId: r.id, number: r.number }) }).execute();
		await appendEvent(trx, r.sitting_id, step.event, { resolutionId: r.id, number: r.number, revision: step.revision, sha256: sha256Hex(pdf) });
		// Issued is the end: nobody waits after the seal.
		if (step.to === 'signed') await noticeResolutionWaits(trx, r, 'signed', r.number ?? '');
		return { resolutionId: r.id, status: step.to, revision: step.revision, sha256: sha256Hex(pdf) };
	});
}

function view(r: {
	id: string;
	council_id: string;
	sitting_id: string;
	item_id: string;
	title: string;
	body: unknown;
	status: string;
	vote_id: string | null;
	number: string | null;
	adopted_at: Date | null;
	signed_at: Date | null;
	issued_at: Date | null;
	short_code: string;
	created_at: Date;
}) {
	return {
		id: r.id,
		councilId: r.council_id,
		sittingId: r.sitting_id,
		itemId: r.item_id,
		title: r.title,
		body: r.body as ResolutionBody,
		status: r.status as 'draft' | 'adopted' | 'signed' | 'issued',
		voteId: r.vote_id,
		number: r.number,
		adoptedAt: r.adopted_at?.toISOString() ?? null,
		signedAt: r.signed_at?.toISOString() ?? null,
		issuedAt: r.issued_at?.toISOString() ?? null,
		shortCode: r.short_code,
		verificationUrl: verificationUrl(r.short_code),
		createdAt: r.created_at.toISOString()
	};
}

export type ResolutionView = ReturnType<typeof view>;

export async function getResolution(db: Db, resolutionId: string) {
	const r = await db.selectFrom('resolutions').selectAll().where('id', '=', resolutionId).executeTakeFirst();
	if (!r) throw new AppError('NOT_FOUND', 'resolution.notFound');
	const revisions = await db
		.selectFrom('resolution_revisions')
		.select(['revision', 'sha256', 'signer_user_id', 'signer_method', 'created_at'])
		.where('resolution_id', '=', resolutionId)
		.orderBy('revision')
		.execute();
	return {
		...view(r),
		revisions: revisions.map((v) => ({ revision: v.revision, sha256: v.sha256, signerUserId: v.signer_user_id, signerMethod: v.signer_method, createdAt: v.created_at.toISOString() }))
	};
}

export type ResolutionTaskKind = 'adopt' | 'sign' | 'seal';

export interface ResolutionTask {
	kind: ResolutionTaskKind;
	resolutionId: string;
	councilId: string;
	councilName: string;
	title: string;
	number: string | null;
	/** When it started waiting: the draft's creation, the adoption, the chair's signature. */
	since: string;
	link: string;
}

/**
 * What waits for this user, oldest first: as a chair, drafts that a closed passing vote on their item can adopt
 * (a draft still waiting for its vote is not the chair's to do yet) and adopted resolutions to sign; as a clerk,
 * signed ones to seal. Only the user's own councils.
 */
export async function resolutionTasks(db: Db, user: { councils: { councilId: string; roles: readonly string[] }[] }): Promise<ResolutionTask[]> {
	const chairOf = user.councils.filter((c) => c.roles.includes('chair')).map((c) => c.councilId);
	const clerkOf = user.councils.filter((c) => c.roles.includes('clerk')).map((c) => c.councilId);
	if (chairOf.length === 0 && clerkOf.length === 0) return [];
	const rows = await db
		.selectFrom('resolutions as r')
		.innerJoin('councils as c', 'c.id', 'r.council_id')
		.select(['r.id', 'r.council_id', 'c.name as council_name', 'r.title', 'r.number', 'r.status', 'r.created_at', 'r.adopted_at', 'r.signed_at'])
		.where((eb) => {
			const mine = [];
			if (chairOf.length) {
				mine.push(
					eb.and([
						eb('r.council_id', 'in', chairOf),
						eb('r.status', '=', 'draft'),
						eb.exists(
							eb
								.selectFrom('votes as v')
								.select('v.id')
								.whereRef('v.item_id', '=', 'r.item_id')
								.where('v.status', '=', 'closed')
								.where(sql<boolean>`v.result->>'passed' = 'true'`)
						)
					]),
					eb.and([eb('r.council_id', 'in', chairOf), eb('r.status', '=', 'adopted')])
				);
			}
			if (clerkOf.length) mine.push(eb.and([eb('r.council_id', 'in', clerkOf), eb('r.status', '=', 'signed')]));
			return eb.or(mine);
		})
		.orderBy('r.created_at')
		.limit(200)
		.execute();
	const KIND = { draft: 'adopt', adopted: 'sign', signed: 'seal' } as const;
	return rows
		.map((r) => {
			const kind = KIND[r.status as keyof typeof KIND];
			const since = kind === 'adopt' ? r.created_at : kind === 'sign' ? r.adopted_at : r.signed_at;
			return {
				kind,
				resolutionId: r.id,
				councilId: r.council_id,
				councilName: r.council_name,
				title: r.title,
				number: r.number,
				since: (since ?? r.created_at).toISOString(),
				link: resolutionLink(r.council_id, r.id)
			};
		})
		.sort((a, b) => a.since.localeCompare(b.since));
}

export async function listResolutions(db: Db, councilId: string) {
	const rows = await db.selectFrom('resolutions').selectAll().where('council_id', '=', councilId).orderBy('created_at', 'desc').limit(500).execute();
	// How each signature was made (the key kept here, a token, a remote service), shown beside the resolution.
	const signed = rows.length
		? await db
				.selectFrom('resolution_revisions')
				.select(['resolution_id', 'revision', 'signer_method'])
				.where('resolution_id', 'in', rows.map((r) => r.id))
				.where('revision', '>', 0)
				.orderBy('revision')
				.execute()
		: [];
	return rows.map((r) => ({
		...view(r),
		signatures: signed.filter((v) => v.resolution_id === r.id).map((v) => ({ revision: v.revision, method: v.signer_method }))
	}));
}

/** The latest revision's PDF (the most signed one) with what access needs. */
export async function latestPdf(db: Db, resolutionId: string) {
	const r = await db.selectFrom('resolutions').select(['id', 'council_id', 'status', 'number']).where('id', '=', resolutionId).executeTakeFirst();
	if (!r) return null;
	const rev = await db
		.selectFrom('resolution_revisions')
		.select(['revision', 'pdf', 'sha256'])
		.where('resolution_id', '=', resolutionId)
		.orderBy('revision', 'desc')
		.limit(1)
		.executeTakeFirst();
	return { ...r, revision: rev ?? null };
}
