import { as, councilIdOf, db } from './callers';

export const COUNCIL = '26743'; // Phường Bến Thành: 30 seated delegates in the demo data

export function delegates(code = COUNCIL, n = 30): string[] {
	return Array.from({ length: n }, (_, i) => `delegate.${code}.${i + 1}`);
}

/**
 * 08:00 in Ho Chi Minh City (01:00 UTC) a week after today: always ahead of the clock, so convening schedules its
 * reminders whatever day the tests run (a fixed date turned into a past one and silently changed what they test).
 */
export function upcomingStart(now = new Date()): Date {
	return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 7, 1, 0));
}

/** A start made by `upcomingStart()` as people read it: dd/MM/yyyy 08:00. */
export function upcomingStartText(d: Date): string {
	return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()} 08:00`;
}

/** A convened sitting with two agenda items (the second a submission), as the chair would prepare it. */
export async function convenedSitting(code = COUNCIL) {
	const councilId = await councilIdOf(code);
	const chair = await as(`chair.${code}`);
	const startsAt = upcomingStart();
	const { sittingId } = await chair.sitting.create({ councilId, kind: 'regular', title: 'Kỳ họp thường lệ', startsAt });
	const { itemId: reportId } = await chair.sitting.addAgendaItem({ sittingId, kind: 'report', title: 'Báo cáo kinh tế - xã hội' });
	const { itemId } = await chair.sitting.addAgendaItem({ sittingId, kind: 'submission', title: 'Tờ trình dự thảo nghị quyết' });
	await chair.sitting.convene({ sittingId });
	return { councilId, sittingId, reportId, itemId, chair, startsAt };
}

export async function checkIn(sittingId: string, usernames: string[]) {
	for (const u of usernames) await (await as(u)).attendance.checkIn({ sittingId, mode: 'hall' });
}

/** A sitting in progress on its submission item, with `present` delegates checked in. */
export async function sittingInProgress(present = 30, code = COUNCIL) {
	const s = await convenedSitting(code);
	await checkIn(s.sittingId, delegates(code, present));
	await s.chair.sitting.start({ sittingId: s.sittingId });
	await s.chair.sitting.setCurrentItem({ sittingId: s.sittingId, itemId: s.itemId });
	return s;
}

export async function eventTypes(sittingId: string): Promise<string[]> {
	const rows = await db().selectFrom('sitting_events').select('type').where('sitting_id', '=', sittingId).orderBy('seq').execute();
	return rows.map((r) => r.type);
}
