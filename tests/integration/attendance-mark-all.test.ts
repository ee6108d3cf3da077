import { describe, expect, it } from 'vitest';
import { as, db } from '../helpers/callers';
import { checkIn, convenedSitting, delegates, eventTypes } from '../helpers/sittings';

// attendance.markAllPresent (issue 23, the secretary's "mark everyone present"): one transaction, one
// attendance.changed per delegate marked, the records already made kept, the same refusals as attendance.mark.

async function attendanceRows(sittingId: string) {
	const rows = await db()
		.selectFrom('attendance as a')
		.innerJoin('users as u', 'u.id', 'a.user_id')
		.select(['u.username', 'a.status', 'a.reason'])
		.where('a.sitting_id', '=', sittingId)
		.execute();
	return Object.fromEntries(rows.map((r) => [r.username, { status: r.status, reason: r.reason }]));
}

async function attendanceEvents(sittingId: string) {
	const rows = await db().selectFrom('sitting_events').select(['type', 'payload']).where('sitting_id', '=', sittingId).where('type', '=', 'attendance.changed').orderBy('seq').execute();
	return rows.map((r) => r.payload as Record<string, unknown>);
}

describe('attendance.markAllPresent', () => {
	it('marks every delegate not yet recorded as present in the hall, one event each, and keeps the absences', async () => {
		const { sittingId, chair } = await convenedSitting();
		const secretary = await as('secretary.26743');
		await checkIn(sittingId, delegates().slice(0, 10));
		await (await as('delegate.26743.11')).attendance.checkIn({ sittingId, mode: 'remote' });
		const detail = await secretary.sitting.get({ sittingId });
		const idOf = (u: string) => detail.attendance.find((a) => a.username === u)!.userId;
		await secretary.attendance.mark({ sittingId, delegateId: idOf('delegate.26743.12'), status: 'absent_excused', reason: 'Đi công tác' });
		await secretary.attendance.mark({ sittingId, delegateId: idOf('delegate.26743.13'), status: 'absent' });
		const eventsBefore = (await eventTypes(sittingId)).length;

		const out = await secretary.attendance.markAllPresent({ sittingId });

		// 30 seated: 11 present, 2 recorded absent, 17 left.
		expect(out).toEqual({ marked: 17, present: 28, seated: 30, required: 20, quorumMet: true });
		const rows = await attendanceRows(sittingId);
		expect(Object.keys(rows).length).toBe(30);
		expect(rows['delegate.26743.11']).toEqual({ status: 'present_remote', reason: null });
		expect(rows['delegate.26743.12']).toEqual({ status: 'absent_excused', reason: 'Đi công tác' });
		expect(rows['delegate.26743.13']).toEqual({ status: 'absent', reason: null });
		for (const u of delegates().slice(13)) expect(rows[u], u).toEqual({ status: 'present_hall', reason: null });

		// One event per delegate, in the register's order, each with the count after it: the quorum is met at the
		// ninth (11 + 9 = 20), as screens applying them one by one show it.
		const types = await eventTypes(sittingId);
		expect(types.length - eventsBefore).toBe(17);
		const marked = (await attendanceEvents(sittingId)).slice(-17);
		expect(marked.map((e) => e.present)).toEqual(Array.from({ length: 17 }, (_, i) => 12 + i));
		expect(marked.map((e) => e.quorumMet)).toEqual(Array.from({ length: 17 }, (_, i) => 12 + i >= 20));
		expect(marked.map((e) => e.userId)).toEqual(delegates().slice(13).map(idOf));
		expect(marked[0]).toEqual({ userId: idOf('delegate.26743.14'), status: 'present_hall', reason: null, source: 'secretary', present: 12, seated: 30, required: 20, quorumMet: false });
		expect(await chair.sitting.state({ sittingId })).toMatchObject({ present: 28, seated: 30, quorumMet: true });
		expect(await chair.sitting.verifyChain({ sittingId })).toMatchObject({ ok: true, events: types.length });
	});

	it('is idempotent: called again with nobody left, it changes nothing and appends no event', async () => {
		const { sittingId } = await convenedSitting();
		const chair = await as('chair.26743');
		expect(await chair.attendance.markAllPresent({ sittingId })).toEqual({ marked: 30, present: 30, seated: 30, required: 20, quorumMet: true });
		const events = await eventTypes(sittingId);
		const rows = await attendanceRows(sittingId);
		expect(await chair.attendance.markAllPresent({ sittingId })).toEqual({ marked: 0, present: 30, seated: 30, required: 20, quorumMet: true });
		expect(await eventTypes(sittingId)).toEqual(events);
		expect(await attendanceRows(sittingId)).toEqual(rows);
	});

	it('is refused for a delegate, for the secretary of another council, and before the convening', async () => {
		const { sittingId } = await convenedSitting();
		const events = await eventTypes(sittingId);
		await expect((await as('delegate.26743.1')).attendance.markAllPresent({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('secretary.26737')).attendance.markAllPresent({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect(await attendanceRows(sittingId)).toEqual({});
		expect(await eventTypes(sittingId)).toEqual(events);

		// A draft sitting: the same Vietnamese refusal as a row marked by hand.
		const chair = await as('chair.26743');
		const councilId = (await chair.sitting.get({ sittingId })).councilId;
		const draft = await chair.sitting.create({ councilId, kind: 'thematic', title: 'Chuyên đề', startsAt: new Date(Date.now() + 86_400_000) });
		const secretary = await as('secretary.26743');
		const message = 'Kỳ họp chưa được triệu tập hoặc đã bế mạc.';
		await expect(secretary.attendance.markAllPresent({ sittingId: draft.sittingId })).rejects.toMatchObject({ code: 'CONFLICT', message });
		const someone = (await secretary.sitting.get({ sittingId })).attendance[0].userId;
		await expect(secretary.attendance.mark({ sittingId: draft.sittingId, delegateId: someone, status: 'present_hall' })).rejects.toMatchObject({ code: 'CONFLICT', message });
		expect(await attendanceRows(draft.sittingId)).toEqual({});
	});
});
