import type { Db } from '../../../../db/client.js';
import type { AttendanceStatus } from '../../../../db/schema.js';
import { AppError } from '../api/errors';
import { appendEvent, type Trx } from './events';
import { lockedSitting } from './service';
import { councilQuorum, isDelegateOf } from './state';

/** Records a delegate's attendance and tells every screen the new count and whether the quorum holds. */
export async function setAttendance(
	trx: Trx,
	input: { sittingId: string; userId: string; status: AttendanceStatus; reason?: string | null; by: string | null; source: 'self' | 'secretary' | 'video' }
) {
	const sitting = await lockedSitting(trx, input.sittingId);
	if (sitting.status !== 'convened' && sitting.status !== 'in_progress') throw new AppError('CONFLICT', 'sitting.notOpenForCheckIn');
	if (!(await isDelegateOf(trx, sitting.council_id, input.userId))) throw new AppError('FORBIDDEN', 'sitting.notADelegate');
	await trx
		.insertInto('attendance')
		.values({ sitting_id: input.sittingId, user_id: input.userId, status: input.status, reason: input.reason ?? null, updated_by: input.by, updated_at: new Date() })
		.onConflict((oc) => oc.columns(['sitting_id', 'user_id']).doUpdateSet({ status: input.status, reason: input.reason ?? null, updated_by: input.by, updated_at: new Date() }))
		.execute();
	const quorum = await councilQuorum(trx, sitting.council_id, input.sittingId);
	await appendEvent(trx, input.sittingId, 'attendance.changed', {
		userId: input.userId,
		status: input.status,
		reason: input.reason ?? null,
		source: input.source,
		present: quorum.present,
		seated: quorum.seated,
		required: quorum.required,
		quorumMet: quorum.met
	});
	return { status: input.status, present: quorum.present, seated: quorum.seated, quorumMet: quorum.met };
}

export function checkIn(db: Db, sittingId: string, userId: string, mode: 'hall' | 'remote') {
	return db.transaction().execute((trx) =>
		setAttendance(trx, { sittingId, userId, status: mode === 'hall' ? 'present_hall' : 'present_remote', by: userId, source: 'self' })
	);
}

export function markAttendance(db: Db, input: { sittingId: string; delegateId: string; status: AttendanceStatus; reason?: string; by: string }) {
	return db.transaction().execute((trx) =>
		setAttendance(trx, { sittingId: input.sittingId, userId: input.delegateId, status: input.status, reason: input.reason, by: input.by, source: 'secretary' })
	);
}
