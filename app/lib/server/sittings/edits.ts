import type { Db } from '../../../../db/client.js';
import type { AgendaItemKind } from '../../../../db/schema.js';
import { changedFields, decideEdit, documentsDetachedByRemoval, startsBeforeEnd, type EditRequest } from '../../domain/sitting-edits';
import { AppError, forbidden } from '../errors';
import { appendEvent, type Trx } from './events';
import { announceSittingChange } from './invitations';
import { lockedSitting } from './service';

// Edits and removals of a sitting's title, time and venue, its agenda items and its documents. Each runs in one
// transaction under the sitting's lock: the rule (domain/sitting-edits.ts) is decided on the facts read there, and
// the change and its event (before/after, the reason of a correction, who made it) exist together or not at all.

type Sitting = Awaited<ReturnType<typeof lockedSitting>>;

interface Actor {
	actorId: string;
	reason?: string | null;
}

/** Applies the rule, or refuses with its message (nothing has been written yet). */
function decide(sitting: Sitting, request: EditRequest) {
	const decision = decideEdit(sitting.status, request);
	if (!decision.ok) throw new AppError(decision.refusal === 'sitting.edit.reasonRequired' ? 'BAD_REQUEST' : 'CONFLICT', decision.refusal);
	return decision;
}

/** What every edit event carries besides its changes: a correction and its reason, and who made it. */
function provenance(decision: { mode: string; reason: string | null }, actorId: string) {
	return { correction: decision.mode === 'correction', reason: decision.reason, by: actorId };
}

async function auditLog(trx: Trx, sitting: Sitting, actorId: string, action: string, details: Record<string, unknown>) {
	await trx.insertInto('audit_log').values({ user_id: actorId, council_id: sitting.council_id, action, details: JSON.stringify({ sittingId: sitting.id, ...details }) }).execute();
}

export async function updateSitting(db: Db, input: Actor & { sittingId: string; title?: string; startsAt?: Date; venue?: string | null }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		const decision = decide(sitting, { target: 'sitting', action: 'edit', reason: input.reason });
		const changes = changedFields(
			{ title: sitting.title, startsAt: sitting.starts_at.toISOString(), venue: sitting.venue },
			{ title: input.title, startsAt: input.startsAt?.toISOString(), venue: input.venue === undefined ? undefined : input.venue || null }
		);
		if (Object.keys(changes).length === 0) return { changed: false as const };
		if (input.startsAt && !startsBeforeEnd(input.startsAt, sitting.ends_at)) throw new AppError('BAD_REQUEST', 'sitting.edit.startsAfterEnd');
		const row = { title: changes.title?.after ?? sitting.title, starts_at: input.startsAt ?? sitting.starts_at, venue: changes.venue ? changes.venue.after : sitting.venue };
		await trx.updateTable('sittings').set(row).where('id', '=', sitting.id).execute();
		// The invited hear of a new start or venue, and the reminders follow the new start (the old ones find the start
		// changed and stay silent).
		if ((changes.startsAt || changes.venue) && sitting.status === 'convened') {
			await announceSittingChange(trx, { id: sitting.id, council_id: sitting.council_id, title: row.title, starts_at: row.starts_at, venue: row.venue });
		}
		await auditLog(trx, sitting, input.actorId, 'sitting.updated', { changes, reason: decision.reason });
		const event = await appendEvent(trx, sitting.id, 'sitting.updated', { changes, ...provenance(decision, input.actorId) });
		return { changed: true as const, seq: event.seq };
	});
}

/** An item of THIS sitting, or the same refusal as an unknown one (the router resolved the council from the item). */
async function itemOf(trx: Trx, sittingId: string, itemId: string) {
	const item = await trx.selectFrom('agenda_items').selectAll().where('id', '=', itemId).where('sitting_id', '=', sittingId).executeTakeFirst();
	if (!item) throw forbidden();
	return item;
}

async function sittingOfItem(trx: Trx, itemId: string): Promise<string> {
	const row = await trx.selectFrom('agenda_items').select('sitting_id').where('id', '=', itemId).executeTakeFirst();
	if (!row) throw forbidden();
	return row.sitting_id;
}

export async function updateAgendaItem(
	db: Db,
	input: Actor & { itemId: string; title?: string; kind?: AgendaItemKind; presenter?: string | null; plannedMinutes?: number | null }
) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, await sittingOfItem(trx, input.itemId));
		const item = await itemOf(trx, sitting.id, input.itemId);
		const decision = decide(sitting, { target: 'item', action: 'edit', reason: input.reason });
		const changes = changedFields(
			{ title: item.title, kind: item.kind, presenter: item.presenter, plannedMinutes: item.planned_minutes },
			{ title: input.title, kind: input.kind, presenter: input.presenter === undefined ? undefined : input.presenter || null, plannedMinutes: input.plannedMinutes }
		);
		if (Object.keys(changes).length === 0) return { changed: false as const };
		await trx
			.updateTable('agenda_items')
			.set({
				title: changes.title?.after ?? item.title,
				kind: changes.kind?.after ?? item.kind,
				presenter: changes.presenter ? changes.presenter.after : item.presenter,
				planned_minutes: changes.plannedMinutes ? changes.plannedMinutes.after : item.planned_minutes
			})
			.where('id', '=', item.id)
			.execute();
		await auditLog(trx, sitting, input.actorId, 'agenda.itemUpdated', { itemId: item.id, changes, reason: decision.reason });
		const event = await appendEvent(trx, sitting.id, 'agenda.itemUpdated', { itemId: item.id, changes, ...provenance(decision, input.actorId) });
		return { changed: true as const, seq: event.seq };
	});
}

/**
 * Removes an item; its documents stay with the sitting (detached), the items after it move up one place, and a
 * floor request made under it keeps its place in the queue without the item.
 */
export async function removeAgendaItem(db: Db, input: Actor & { itemId: string }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, await sittingOfItem(trx, input.itemId));
		const item = await itemOf(trx, sitting.id, input.itemId);
		const [vote, resolution, docs] = await Promise.all([
			trx.selectFrom('votes').select('id').where('item_id', '=', item.id).executeTakeFirst(),
			trx.selectFrom('resolutions').select('id').where('item_id', '=', item.id).executeTakeFirst(),
			trx.selectFrom('documents').select(['id', 'item_id as itemId']).where('sitting_id', '=', sitting.id).execute()
		]);
		const decision = decide(sitting, { target: 'item', action: 'remove', reason: input.reason, item: { hasVote: !!vote, hasResolution: !!resolution, isCurrent: sitting.current_item_id === item.id } });
		const detached = documentsDetachedByRemoval(docs, item.id);
		if (detached.length) await trx.updateTable('documents').set({ item_id: null }).where('id', 'in', detached).execute();
		await trx.updateTable('floor_requests').set({ item_id: null }).where('item_id', '=', item.id).execute();
		await trx.deleteFrom('agenda_items').where('id', '=', item.id).execute();
		const rest = await trx.selectFrom('agenda_items').select('id').where('sitting_id', '=', sitting.id).orderBy('position').execute();
		for (const [index, row] of rest.entries()) await trx.updateTable('agenda_items').set({ position: index + 1 }).where('id', '=', row.id).execute();
		const removed = { title: item.title, kind: item.kind, position: item.position, presenter: item.presenter, plannedMinutes: item.planned_minutes };
		await auditLog(trx, sitting, input.actorId, 'agenda.itemRemoved', { itemId: item.id, removed, reason: decision.reason });
		const event = await appendEvent(trx, sitting.id, 'agenda.itemRemoved', {
			itemId: item.id,
			removed,
			itemIds: rest.map((r) => r.id),
			detachedDocumentIds: detached,
			...provenance(decision, input.actorId)
		});
		return { removed: true as const, detachedDocumentIds: detached, seq: event.seq };
	});
}

async function documentOf(trx: Trx, documentId: string) {
	const row = await trx.selectFrom('documents').select('sitting_id').where('id', '=', documentId).executeTakeFirst();
	if (!row) throw forbidden();
	const sitting = await lockedSitting(trx, row.sitting_id);
	const doc = await trx.selectFrom('documents').select(['id', 'sitting_id', 'item_id', 'title', 'filename', 'size_bytes', 'sha256']).where('id', '=', documentId).executeTakeFirst();
	if (!doc) throw forbidden();
	return { sitting, doc };
}

export async function updateDocument(db: Db, input: Actor & { documentId: string; title?: string; itemId?: string | null }) {
	return db.transaction().execute(async (trx) => {
		const { sitting, doc } = await documentOf(trx, input.documentId);
		const decision = decide(sitting, { target: 'document', action: 'edit', reason: input.reason });
		if (input.itemId) {
			const item = await trx.selectFrom('agenda_items').select('id').where('id', '=', input.itemId).where('sitting_id', '=', sitting.id).executeTakeFirst();
			if (!item) throw new AppError('BAD_REQUEST', 'sitting.itemNotInSitting');
		}
		const changes = changedFields({ title: doc.title, itemId: doc.item_id }, { title: input.title, itemId: input.itemId });
		if (Object.keys(changes).length === 0) return { changed: false as const };
		await trx
			.updateTable('documents')
			.set({ title: changes.title?.after ?? doc.title, item_id: changes.itemId ? changes.itemId.after : doc.item_id })
			.where('id', '=', doc.id)
			.execute();
		await auditLog(trx, sitting, input.actorId, 'document.updated', { documentId: doc.id, changes, reason: decision.reason });
		const event = await appendEvent(trx, sitting.id, 'document.updated', { documentId: doc.id, changes, ...provenance(decision, input.actorId) });
		return { changed: true as const, seq: event.seq };
	});
}

/** Removes a document and its content; the event keeps its title, file name and SHA-256, so the record still names it. */
export async function removeDocument(db: Db, input: Actor & { documentId: string }) {
	return db.transaction().execute(async (trx) => {
		const { sitting, doc } = await documentOf(trx, input.documentId);
		const decision = decide(sitting, { target: 'document', action: 'remove', reason: input.reason });
		await trx.deleteFrom('documents').where('id', '=', doc.id).execute();
		const removed = { title: doc.title, filename: doc.filename, itemId: doc.item_id, sizeBytes: doc.size_bytes, sha256: doc.sha256 };
		await auditLog(trx, sitting, input.actorId, 'document.removed', { documentId: doc.id, removed, reason: decision.reason });
		const event = await appendEvent(trx, sitting.id, 'document.removed', { documentId: doc.id, removed, ...provenance(decision, input.actorId) });
		return { removed: true as const, seq: event.seq };
	});
}
