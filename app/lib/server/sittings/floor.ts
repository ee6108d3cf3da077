import { orderQueue } from '../../domain/floor-queue';
import type { Trx } from './events';
import type { Db } from '../../../../db/client.js';

export interface FloorEntry {
	requestId: string;
	userId: string;
	fullName: string;
	kind: 'speech' | 'question' | 'point_of_order';
	status: 'queued' | 'speaking';
	position: number | null;
	requestedAt: string;
	startedAt: string | null;
	allottedSec: number | null;
}

export interface FloorSnapshot {
	speaker: FloorEntry | null;
	queue: FloorEntry[];
}

/** The speaker and the ordered queue (points of order first), as every screen shows it. */
export async function floorSnapshot(db: Db | Trx, sittingId: string): Promise<FloorSnapshot> {
	const rows = await db
		.selectFrom('floor_requests as f')
		.innerJoin('users as u', 'u.id', 'f.user_id')
		.select(['f.id', 'f.user_id', 'u.full_name', 'f.kind', 'f.status', 'f.position', 'f.requested_at', 'f.started_at', 'f.allotted_sec'])
		.where('f.sitting_id', '=', sittingId)
		.where('f.status', 'in', ['queued', 'speaking'])
		.execute();
	const entries: FloorEntry[] = rows.map((r) => ({
		requestId: r.id,
		userId: r.user_id,
		fullName: r.full_name,
		kind: r.kind,
		status: r.status as 'queued' | 'speaking',
		position: r.position,
		requestedAt: r.requested_at.toISOString(),
		startedAt: r.started_at?.toISOString() ?? null,
		allottedSec: r.allotted_sec
	}));
	const queued = orderQueue(
		entries
			.filter((e) => e.status === 'queued')
			.map((e) => ({ id: e.requestId, delegateId: e.userId, kind: e.kind, position: e.position, requestedAt: Date.parse(e.requestedAt), entry: e }))
	).map((q) => q.entry);
	return { speaker: entries.find((e) => e.status === 'speaking') ?? null, queue: queued };
}
