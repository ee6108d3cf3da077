import type { Db } from '../../../../db/client.js';
import type { FloorKind } from '../../../../db/schema.js';
import { reorder as reorderQueue } from '../../domain/floor-queue';
import { AppError } from '../errors';
import { appendEvent, type Trx } from './events';
import { floorSnapshot } from './floor';
import { lockedSitting } from './service';
import { isCheckedIn } from './state';

async function publish(trx: Trx, sittingId: string, action: string, extra: Record<string, unknown> = {}) {
	const floor = await floorSnapshot(trx, sittingId);
	await appendEvent(trx, sittingId, 'floor.changed', { action, ...extra, floor });
	return floor;
}

async function inProgress(trx: Trx, sittingId: string) {
	const sitting = await lockedSitting(trx, sittingId);
	if (sitting.status !== 'in_progress') throw new AppError('CONFLICT', 'sitting.notInProgress');
	return sitting;
}

export function requestFloor(db: Db, input: { sittingId: string; userId: string; kind: FloorKind; mustBeCheckedIn: boolean }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await inProgress(trx, input.sittingId);
		if (input.mustBeCheckedIn && !(await isCheckedIn(trx, input.sittingId, input.userId))) throw new AppError('PRECONDITION_FAILED', 'floor.notCheckedIn');
		const open = await trx.selectFrom('floor_requests').select('id').where('sitting_id', '=', input.sittingId).where('user_id', '=', input.userId).where('status', 'in', ['queued', 'speaking']).executeTakeFirst();
		if (open) throw new AppError('CONFLICT', 'floor.alreadyRequested');
		const { id } = await trx
			.insertInto('floor_requests')
			.values({ sitting_id: input.sittingId, item_id: sitting.current_item_id, user_id: input.userId, kind: input.kind, position: null, allotted_sec: null, requested_at: new Date(), started_at: null, ended_at: null })
			.returning('id')
			.executeTakeFirstOrThrow();
		const floor = await publish(trx, input.sittingId, 'requested', { requestId: id, userId: input.userId, kind: input.kind });
		return { requestId: id, floor };
	});
}

async function requestRow(trx: Trx, requestId: string) {
	const row = await trx.selectFrom('floor_requests').selectAll().where('id', '=', requestId).executeTakeFirst();
	if (!row) throw new AppError('NOT_FOUND', 'FLOOR_REQUEST_NOT_FOUND');
	return row;
}

export function withdrawFloor(db: Db, input: { requestId: string; userId: string }) {
	return db.transaction().execute(async (trx) => {
		const pending = await requestRow(trx, input.requestId);
		await lockedSitting(trx, pending.sitting_id);
		const row = await requestRow(trx, input.requestId);
		if (row.user_id !== input.userId) throw new AppError('FORBIDDEN', 'floor.notYours');
		if (row.status !== 'queued') throw new AppError('CONFLICT', 'floor.notQueued');
		await trx.updateTable('floor_requests').set({ status: 'withdrawn', ended_at: new Date() }).where('id', '=', row.id).execute();
		return { floor: await publish(trx, row.sitting_id, 'withdrawn', { requestId: row.id, userId: row.user_id }) };
	});
}

/** Gives the floor to a waiting request; whoever was speaking is done. Returns the new speaker's user id. */
export function grantFloor(db: Db, input: { requestId: string; allottedSec?: number }) {
	return db.transaction().execute(async (trx) => {
		const pending = await requestRow(trx, input.requestId);
		await inProgress(trx, pending.sitting_id);
		const row = await requestRow(trx, input.requestId);
		if (row.status !== 'queued') throw new AppError('CONFLICT', 'floor.notQueued');
		const now = new Date();
		await trx.updateTable('floor_requests').set({ status: 'done', ended_at: now }).where('sitting_id', '=', row.sitting_id).where('status', '=', 'speaking').execute();
		await trx.updateTable('floor_requests').set({ status: 'speaking', started_at: now, allotted_sec: input.allottedSec ?? 180 }).where('id', '=', row.id).execute();
		const floor = await publish(trx, row.sitting_id, 'granted', { requestId: row.id, userId: row.user_id });
		return { sittingId: row.sitting_id, speakerUserId: row.user_id, floor };
	});
}

export function endFloor(db: Db, sittingId: string) {
	return db.transaction().execute(async (trx) => {
		await inProgress(trx, sittingId);
		const ended = await trx.updateTable('floor_requests').set({ status: 'done', ended_at: new Date() }).where('sitting_id', '=', sittingId).where('status', '=', 'speaking').returning(['id', 'user_id', 'started_at']).executeTakeFirst();
		if (!ended) throw new AppError('CONFLICT', 'floor.noSpeaker');
		const spokeSec = ended.started_at ? Math.round((Date.now() - ended.started_at.getTime()) / 1000) : null;
		return { floor: await publish(trx, sittingId, 'ended', { requestId: ended.id, userId: ended.user_id, spokeSec }) };
	});
}

export function moveFloorRequest(db: Db, input: { sittingId: string; requestId: string; index: number }) {
	return db.transaction().execute(async (trx) => {
		await inProgress(trx, input.sittingId);
		const queued = await trx.selectFrom('floor_requests').select(['id', 'user_id', 'kind', 'position', 'requested_at']).where('sitting_id', '=', input.sittingId).where('status', '=', 'queued').execute();
		if (!queued.some((q) => q.id === input.requestId)) throw new AppError('CONFLICT', 'floor.notQueued');
		const ordered = reorderQueue(
			queued.map((q) => ({ id: q.id, delegateId: q.user_id, kind: q.kind, position: q.position, requestedAt: q.requested_at.getTime() })),
			input.requestId,
			input.index
		);
		for (const q of ordered) await trx.updateTable('floor_requests').set({ position: q.position }).where('id', '=', q.id).execute();
		return { floor: await publish(trx, input.sittingId, 'reordered', { requestId: input.requestId }) };
	});
}

/** Who spoke when and for how long, for the minutes. */
export async function floorLog(db: Db, sittingId: string) {
	const rows = await db
		.selectFrom('floor_requests as f')
		.innerJoin('users as u', 'u.id', 'f.user_id')
		.select(['f.id', 'u.full_name', 'f.kind', 'f.started_at', 'f.ended_at', 'f.item_id'])
		.where('f.sitting_id', '=', sittingId)
		.where('f.started_at', 'is not', null)
		.orderBy('f.started_at')
		.execute();
	return rows.map((r) => ({
		requestId: r.id,
		fullName: r.full_name,
		kind: r.kind,
		itemId: r.item_id,
		startedAt: r.started_at!.toISOString(),
		endedAt: r.ended_at?.toISOString() ?? null,
		seconds: r.ended_at ? Math.round((r.ended_at.getTime() - r.started_at!.getTime()) / 1000) : null
	}));
}
