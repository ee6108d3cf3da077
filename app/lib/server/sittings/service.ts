import type { Db } from '../../../../db/client.js';
import type { AgendaItemKind, SittingKind } from '../../../../db/schema.js';
import { assertTransition, canEditAgenda, type SittingStatus } from '../../domain/sitting-lifecycle';
import { assertQuorum } from '../../domain/quorum';
import { AppError } from '../errors';
import { anchorAfterClose } from './anchor';
import { appendEvent, lockSitting, type Trx } from './events';
import { cancelSittingReminders, inviteToSitting } from './invitations';
import { councilQuorum } from './state';

export async function lockedSitting(trx: Trx, sittingId: string) {
	const sitting = await lockSitting(trx, sittingId);
	if (!sitting) throw new AppError('NOT_FOUND', 'sitting.notFound');
	return sitting;
}

export async function createSitting(
	db: Db,
	input: { councilId: string; kind: SittingKind; title: string; startsAt: Date; endsAt?: Date; venue?: string; hybrid?: boolean; number?: number; createdBy: string }
) {
	return db.transaction().execute(async (trx) => {
		// Serialise numbering per council: the council row is the lock.
		await trx.selectFrom('councils').select('id').where('id', '=', input.councilId).forUpdate().executeTakeFirstOrThrow();
		const last = await trx.selectFrom('sittings').select((eb) => eb.fn.max('number').as('n')).where('council_id', '=', input.councilId).executeTakeFirst();
		const number = input.number ?? Number(last?.n ?? 0) + 1;
		const sitting = await trx
			.insertInto('sittings')
			.values({
				council_id: input.councilId,
				kind: input.kind,
				number,
				title: input.title,
				starts_at: input.startsAt,
				ends_at: input.endsAt ?? null,
				venue: input.venue ?? null,
				hybrid: input.hybrid ?? false,
				current_item_id: null,
				created_by: input.createdBy,
				convened_at: null,
				started_at: null,
				closed_at: null
			})
			.returning(['id', 'number'])
			.executeTakeFirstOrThrow();
		await appendEvent(trx, sitting.id, 'sitting.created', { title: input.title, kind: input.kind, number, startsAt: input.startsAt.toISOString() });
		return sitting;
	});
}

export async function addAgendaItem(db: Db, input: { sittingId: string; kind: AgendaItemKind; title: string; presenter?: string; plannedMinutes?: number }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		if (!canEditAgenda(sitting.status)) throw new AppError('CONFLICT', 'sitting.agendaLocked');
		const last = await trx.selectFrom('agenda_items').select((eb) => eb.fn.max('position').as('p')).where('sitting_id', '=', input.sittingId).executeTakeFirst();
		const item = await trx
			.insertInto('agenda_items')
			.values({ sitting_id: input.sittingId, position: Number(last?.p ?? 0) + 1, kind: input.kind, title: input.title, presenter: input.presenter ?? null, planned_minutes: input.plannedMinutes ?? null })
			.returning(['id', 'position'])
			.executeTakeFirstOrThrow();
		await appendEvent(trx, input.sittingId, 'agenda.itemAdded', { itemId: item.id, position: item.position, kind: input.kind, title: input.title, presenter: input.presenter ?? null, plannedMinutes: input.plannedMinutes ?? null });
		return { itemId: item.id };
	});
}

export async function reorderAgenda(db: Db, input: { sittingId: string; itemIds: string[] }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		if (!canEditAgenda(sitting.status)) throw new AppError('CONFLICT', 'sitting.agendaLocked');
		const items = await trx.selectFrom('agenda_items').select('id').where('sitting_id', '=', input.sittingId).execute();
		const known = new Set(items.map((i) => i.id));
		if (input.itemIds.length !== known.size || new Set(input.itemIds).size !== known.size || !input.itemIds.every((id) => known.has(id))) {
			throw new AppError('BAD_REQUEST', 'sitting.agendaMismatch');
		}
		for (const [index, id] of input.itemIds.entries()) {
			await trx.updateTable('agenda_items').set({ position: index + 1 }).where('id', '=', id).execute();
		}
		await appendEvent(trx, input.sittingId, 'agenda.reordered', { itemIds: input.itemIds });
		return { ok: true as const };
	});
}

/** Moves the sitting along its lifecycle; opening needs a quorum, closing needs no vote left open. */
export async function transition(db: Db, sittingId: string, to: SittingStatus, actorId: string) {
	const moved = await db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, sittingId);
		assertTransition(sitting.status, to);
		const now = new Date();
		if (to === 'convened') {
			const items = await trx.selectFrom('agenda_items').select('id').where('sitting_id', '=', sittingId).limit(1).execute();
			if (items.length === 0) throw new AppError('CONFLICT', 'sitting.noAgenda');
			await trx.updateTable('sittings').set({ status: to, convened_at: now }).where('id', '=', sittingId).execute();
			await inviteToSitting(trx, sitting, now);
		} else if (to === 'in_progress') {
			assertQuorum(await councilQuorum(trx, sitting.council_id, sittingId));
			await trx.updateTable('sittings').set({ status: to, started_at: now }).where('id', '=', sittingId).execute();
			await cancelSittingReminders(trx, sittingId, to, now);
		} else if (to === 'closed') {
			const open = await trx.selectFrom('votes').select('id').where('sitting_id', '=', sittingId).where('status', '=', 'open').executeTakeFirst();
			if (open) throw new AppError('CONFLICT', 'sitting.voteStillOpen');
			await trx.updateTable('floor_requests').set({ status: 'done', ended_at: now }).where('sitting_id', '=', sittingId).where('status', '=', 'speaking').execute();
			await trx.updateTable('floor_requests').set({ status: 'withdrawn', ended_at: now }).where('sitting_id', '=', sittingId).where('status', '=', 'queued').execute();
			await trx.updateTable('sittings').set({ status: to, closed_at: now }).where('id', '=', sittingId).execute();
			await cancelSittingReminders(trx, sittingId, to, now);
		}
		await trx.insertInto('audit_log').values({ user_id: actorId, council_id: sitting.council_id, action: `sitting.${to}`, details: JSON.stringify({ sittingId }) }).execute();
		await appendEvent(trx, sittingId, 'sitting.status', { status: to, at: now.toISOString() });
		return { status: to };
	});
	// The closed sitting's final head, signed and sent to every screen (anchor.ts).
	if (to === 'closed') await anchorAfterClose(db, { closed: 'sitting', sittingId });
	return moved;
}

export async function setCurrentItem(db: Db, sittingId: string, itemId: string) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, sittingId);
		if (sitting.status !== 'in_progress') throw new AppError('CONFLICT', 'sitting.notInProgress');
		const item = await trx.selectFrom('agenda_items').select(['id', 'title', 'kind', 'position']).where('id', '=', itemId).where('sitting_id', '=', sittingId).executeTakeFirst();
		if (!item) throw new AppError('BAD_REQUEST', 'sitting.itemNotInSitting');
		await trx.updateTable('sittings').set({ current_item_id: itemId }).where('id', '=', sittingId).execute();
		await appendEvent(trx, sittingId, 'sitting.currentItem', { itemId, title: item.title, kind: item.kind, position: item.position });
		return { currentItemId: itemId };
	});
}
