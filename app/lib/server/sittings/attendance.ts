import type { Db } from '../../../../db/client.js';
import type { AttendanceStatus } from '../../../../db/schema.js';
import { quorumState } from '../../domain/quorum';
import { AppError } from '../errors';
import { appendEvent, appendEvents, headMove, linkNext, type Trx } from './events';
import { lockedSitting } from './service';
import { councilQuorum, isDelegateOf, quorumFraction } from './state';

const REGISTER_ORDER = new Intl.Collator('vi', { numeric: true });

/** Attendance is taken from the convening until the close. */
function attendanceOpen(status: string): boolean {
	return status === 'convened' || status === 'in_progress';
}

/** Records a delegate's attendance and tells every screen the new count and whether the quorum holds. */
export async function setAttendance(
	trx: Trx,
	input: { sittingId: string; userId: string; status: AttendanceStatus; reason?: string | null; by: string | null; source: 'self' | 'secretary' | 'video' }
) {
	const sitting = await lockedSitting(trx, input.sittingId);
	if (!attendanceOpen(sitting.status)) throw new AppError('CONFLICT', 'sitting.notOpenForCheckIn');
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

/**
 * The secretary's "mark everyone present": every seated delegate with nothing recorded yet is marked present in
 * the hall, in ONE transaction, with one `attendance.changed` event per delegate (the same event as a row marked
 * by hand, so every screen and the monitor apply it unchanged), each carrying the count as it stands after that
 * delegate. A delegate already recorded (present, remote, excused or absent) keeps what was recorded: an absence
 * entered with its reason is never overwritten. Again with nobody left: nothing changes, no event.
 */
export function markAllPresent(db: Db, input: { sittingId: string; by: string }) {
	return db.transaction().execute(async (trx) => {
		const sitting = await lockedSitting(trx, input.sittingId);
		if (!attendanceOpen(sitting.status)) throw new AppError('CONFLICT', 'sitting.notOpenForCheckIn');
		const before = await councilQuorum(trx, sitting.council_id, input.sittingId);
		// Every attendance write takes the sitting's lock first (setAttendance), so nobody is marked in between.
		const unmarked = await trx
			.selectFrom('council_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.leftJoin('attendance as a', (j) => j.onRef('a.user_id', '=', 'm.user_id').on('a.sitting_id', '=', input.sittingId))
			.select(['m.user_id', 'u.username'])
			.where('m.council_id', '=', sitting.council_id)
			.where('m.role', '=', 'delegate')
			.where('m.active', '=', true)
			.where('a.user_id', 'is', null)
			.execute();
		if (unmarked.length === 0) return { marked: 0, present: before.present, seated: before.seated, required: before.required, quorumMet: before.met };
		// In the register's order (sitting.get), so the screens fill it from the top.
		unmarked.sort((a, b) => REGISTER_ORDER.compare(a.username, b.username));
		const now = new Date();
		await trx
			.insertInto('attendance')
			.values(unmarked.map((m) => ({ sitting_id: input.sittingId, user_id: m.user_id, status: 'present_hall' as const, reason: null, updated_by: input.by, updated_at: now })))
			.execute();
		const fraction = await quorumFraction(trx, sitting.council_id);
		const head = headMove(input.sittingId, sitting);
		const counts = unmarked.map((_, i) => quorumState(Math.min(before.present + i + 1, before.seated), before.seated, fraction));
		const events = unmarked.map((m, i) => {
			const q = counts[i];
			const payload = { userId: m.user_id, status: 'present_hall', reason: null, source: 'secretary', present: q.present, seated: q.seated, required: q.required, quorumMet: q.met };
			return linkNext(head, 'attendance.changed', payload, now.toISOString());
		});
		const applied = await appendEvents(trx, [head], events);
		// Under the lock nobody else can move the head; if it moved, the lock was not held.
		if (!applied.has(input.sittingId)) throw new Error(`sitting ${input.sittingId}: the event chain moved under a held lock`);
		// The count after the last delegate is the last event's: no second read of the register.
		const after = counts[counts.length - 1];
		return { marked: unmarked.length, present: after.present, seated: after.seated, required: after.required, quorumMet: after.met };
	});
}
