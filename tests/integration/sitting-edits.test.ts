import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../app/lib/i18n/format';
import { storeDocument } from '../../app/lib/server/sittings/documents';
import { verifySittingChain } from '../../app/lib/server/sittings/verify-chain';
import { as, db, userIdOf } from '../helpers/callers';
import { convenedSitting, sittingInProgress } from '../helpers/sittings';

// sitting.update, sitting.updateAgendaItem, sitting.removeAgendaItem, sitting.updateDocument, sitting.removeDocument:
// free before the sitting opens, a correction with a reason in session, nothing once closed; each change in the
// event record with before/after; every refusal changes nothing.

async function pdfBytes(text = 'To trinh'): Promise<Uint8Array> {
	const doc = await PDFDocument.create();
	doc.addPage().drawText(text, { x: 40, y: 700, size: 12 });
	return doc.save();
}

async function addDocument(sittingId: string, itemId: string | null, title = 'Tờ trình số 12') {
	return storeDocument(db(), { sittingId, itemId, title, filename: 'to-trinh.pdf', bytes: await pdfBytes(), uploadedBy: await userIdOf('secretary.26743') });
}

async function lastEvent(sittingId: string) {
	return db().selectFrom('sitting_events').select(['seq', 'type', 'payload']).where('sitting_id', '=', sittingId).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
}

/** Everything an edit could touch, to show that a refusal touched none of it. */
async function footprint(sittingId: string) {
	const [sitting, agenda, documents] = await Promise.all([
		db().selectFrom('sittings').select(['title', 'starts_at', 'venue', 'last_seq', 'head_hash']).where('id', '=', sittingId).executeTakeFirstOrThrow(),
		db().selectFrom('agenda_items').select(['id', 'title', 'kind', 'presenter', 'planned_minutes', 'position']).where('sitting_id', '=', sittingId).orderBy('position').execute(),
		db().selectFrom('documents').select(['id', 'title', 'item_id']).where('sitting_id', '=', sittingId).orderBy('id').execute()
	]);
	return { sitting: { ...sitting, starts_at: sitting.starts_at.toISOString(), last_seq: Number(sitting.last_seq) }, agenda, documents };
}

describe('editing a sitting before it opens', () => {
	it('sitting.update changes title, start and venue, records before/after and moves the reminders', async () => {
		const { sittingId, startsAt } = await convenedSitting();
		const secretary = await as('secretary.26743');
		const later = new Date(startsAt.getTime() + 2 * 3_600_000);
		const res = await secretary.sitting.update({ sittingId, title: 'Kỳ họp thường lệ giữa năm', startsAt: later, venue: 'Hội trường UBND phường' });
		expect(res).toMatchObject({ changed: true });

		const row = await db().selectFrom('sittings').select(['title', 'starts_at', 'venue']).where('id', '=', sittingId).executeTakeFirstOrThrow();
		expect(row.title).toBe('Kỳ họp thường lệ giữa năm');
		expect(row.starts_at.toISOString()).toBe(later.toISOString());
		expect(row.venue).toBe('Hội trường UBND phường');

		const event = await lastEvent(sittingId);
		expect(event.type).toBe('sitting.updated');
		expect(event.payload).toEqual({
			changes: {
				title: { before: 'Kỳ họp thường lệ', after: 'Kỳ họp thường lệ giữa năm' },
				startsAt: { before: startsAt.toISOString(), after: later.toISOString() },
				venue: { before: null, after: 'Hội trường UBND phường' }
			},
			correction: false,
			reason: null,
			by: await userIdOf('secretary.26743')
		});

		// The convened sitting's reminders follow the new start.
		const reminders = await db().selectFrom('scheduled_jobs').select('payload').where('kind', '=', 'sitting.reminder').where('done_at', 'is', null).execute();
		const starts = reminders.map((r) => r.payload as { sittingId: string; startsAt: string }).filter((p) => p.sittingId === sittingId).map((p) => p.startsAt);
		expect(starts).toContain(later.toISOString());

		// The invited were told the old start: they are told the new one (dd/MM/yyyy HH:mm, Vietnam time) and venue.
		const notices = await db().selectFrom('notifications').select(['body', 'link']).where('user_id', '=', await userIdOf('delegate.26743.1')).where('kind', '=', 'sitting.changed').where('link', '=', `/sittings/${sittingId}`).execute();
		expect(notices).toEqual([{ body: `Kỳ họp thay đổi thời gian hoặc địa điểm: khai mạc lúc ${formatDateTime(later)}. Địa điểm: Hội trường UBND phường.`, link: `/sittings/${sittingId}` }]);

		// Nothing to change: no event.
		const seq = event.seq;
		expect(await secretary.sitting.update({ sittingId, title: 'Kỳ họp thường lệ giữa năm' })).toEqual({ changed: false });
		expect((await lastEvent(sittingId)).seq).toBe(seq);
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });
	});

	it('refuses a start after the planned end, and a venue emptied becomes none', async () => {
		const { sittingId, chair, startsAt } = await convenedSitting();
		await chair.sitting.update({ sittingId, venue: 'Hội trường' });
		await chair.sitting.update({ sittingId, venue: '' });
		expect((await db().selectFrom('sittings').select('venue').where('id', '=', sittingId).executeTakeFirstOrThrow()).venue).toBeNull();
		await db().updateTable('sittings').set({ ends_at: new Date(startsAt.getTime() + 3_600_000) }).where('id', '=', sittingId).execute();
		const before = await footprint(sittingId);
		await expect(chair.sitting.update({ sittingId, startsAt: new Date(startsAt.getTime() + 5 * 3_600_000) })).rejects.toMatchObject({ code: 'BAD_REQUEST', i18nKey: 'sitting.edit.startsAfterEnd' });
		expect(await footprint(sittingId)).toEqual(before);
	});

	it('sitting.updateAgendaItem fixes a typo and records it', async () => {
		const { sittingId, itemId } = await convenedSitting();
		const chair = await as('chair.26743');
		expect(await chair.sitting.updateAgendaItem({ itemId, title: 'Tờ trình về dự thảo nghị quyết', presenter: 'Ông Nguyễn Văn A', plannedMinutes: 45 })).toMatchObject({ changed: true });
		const item = await db().selectFrom('agenda_items').select(['title', 'presenter', 'planned_minutes', 'kind']).where('id', '=', itemId).executeTakeFirstOrThrow();
		expect(item).toEqual({ title: 'Tờ trình về dự thảo nghị quyết', presenter: 'Ông Nguyễn Văn A', planned_minutes: 45, kind: 'submission' });
		const event = await lastEvent(sittingId);
		expect(event.type).toBe('agenda.itemUpdated');
		expect(event.payload).toMatchObject({
			itemId,
			changes: {
				title: { before: 'Tờ trình dự thảo nghị quyết', after: 'Tờ trình về dự thảo nghị quyết' },
				presenter: { before: null, after: 'Ông Nguyễn Văn A' },
				plannedMinutes: { before: null, after: 45 }
			},
			correction: false,
			reason: null
		});
		expect(Object.keys((event.payload as { changes: object }).changes)).toEqual(['title', 'presenter', 'plannedMinutes']);
	});

	it('sitting.removeAgendaItem removes the item, renumbers the rest and keeps its documents with the sitting', async () => {
		const { sittingId, reportId, itemId } = await convenedSitting();
		const doc = await addDocument(sittingId, reportId);
		const secretary = await as('secretary.26743');
		const res = await secretary.sitting.removeAgendaItem({ itemId: reportId });
		expect(res).toMatchObject({ removed: true, detachedDocumentIds: [doc.id] });

		const agenda = await db().selectFrom('agenda_items').select(['id', 'position']).where('sitting_id', '=', sittingId).execute();
		expect(agenda).toEqual([{ id: itemId, position: 1 }]);
		const kept = await db().selectFrom('documents').select(['id', 'item_id']).where('id', '=', doc.id).executeTakeFirstOrThrow();
		expect(kept.item_id).toBeNull();

		const event = await lastEvent(sittingId);
		expect(event.type).toBe('agenda.itemRemoved');
		expect(event.payload).toMatchObject({ itemId: reportId, itemIds: [itemId], detachedDocumentIds: [doc.id], removed: { title: 'Báo cáo kinh tế - xã hội', position: 1 }, correction: false });
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });
	});

	it('sitting.updateDocument and sitting.removeDocument, with the file named in the record', async () => {
		const { sittingId, itemId } = await convenedSitting();
		const doc = await addDocument(sittingId, null, 'To trinh so 12');
		const secretary = await as('secretary.26743');
		expect(await secretary.sitting.updateDocument({ documentId: doc.id, title: 'Tờ trình số 12', itemId })).toMatchObject({ changed: true });
		expect(await db().selectFrom('documents').select(['title', 'item_id']).where('id', '=', doc.id).executeTakeFirstOrThrow()).toEqual({ title: 'Tờ trình số 12', item_id: itemId });
		expect((await lastEvent(sittingId)).payload).toMatchObject({ documentId: doc.id, changes: { title: { before: 'To trinh so 12', after: 'Tờ trình số 12' }, itemId: { before: null, after: itemId } } });

		expect(await secretary.sitting.removeDocument({ documentId: doc.id })).toMatchObject({ removed: true });
		expect(await db().selectFrom('documents').select('id').where('id', '=', doc.id).executeTakeFirst()).toBeUndefined();
		const event = await lastEvent(sittingId);
		expect(event.type).toBe('document.removed');
		expect(event.payload).toMatchObject({ documentId: doc.id, removed: { title: 'Tờ trình số 12', filename: 'to-trinh.pdf', sha256: doc.sha256, itemId } });
	});

	it('a document cannot be moved to another sitting’s item', async () => {
		const a = await convenedSitting();
		const b = await convenedSitting();
		const doc = await addDocument(a.sittingId, null);
		const before = await footprint(a.sittingId);
		await expect(a.chair.sitting.updateDocument({ documentId: doc.id, itemId: b.itemId })).rejects.toMatchObject({ i18nKey: 'sitting.itemNotInSitting' });
		expect(await footprint(a.sittingId)).toEqual(before);
	});
});

describe('in session: only a correction, with a reason', () => {
	it('refuses an edit without a reason (changing nothing) and records a correction with one', async () => {
		const { sittingId, itemId, chair } = await sittingInProgress(20);
		const before = await footprint(sittingId);
		await expect(chair.sitting.updateAgendaItem({ itemId, title: 'Tờ trình (đã sửa)' })).rejects.toMatchObject({ code: 'BAD_REQUEST', i18nKey: 'sitting.edit.reasonRequired', message: 'Kỳ họp đang diễn ra: chỉ được đính chính, và phải ghi lý do đính chính.' });
		await expect(chair.sitting.updateAgendaItem({ itemId, title: 'Tờ trình (đã sửa)', reason: '   ' })).rejects.toMatchObject({ i18nKey: 'sitting.edit.reasonRequired' });
		await expect(chair.sitting.update({ sittingId, title: 'Tên khác' })).rejects.toMatchObject({ i18nKey: 'sitting.edit.reasonRequired' });
		expect(await footprint(sittingId)).toEqual(before);

		await chair.sitting.updateAgendaItem({ itemId, title: 'Tờ trình dự thảo nghị quyết về ngân sách', reason: 'Sai tên tờ trình' });
		const event = await lastEvent(sittingId);
		expect(event.type).toBe('agenda.itemUpdated');
		expect(event.payload).toMatchObject({ itemId, correction: true, reason: 'Sai tên tờ trình', by: await userIdOf('chair.26743') });
		const secretary = await as('secretary.26743');
		await secretary.sitting.update({ sittingId, venue: 'Hội trường B', reason: 'Đổi phòng họp' });
		expect((await lastEvent(sittingId)).payload).toMatchObject({ changes: { venue: { before: null, after: 'Hội trường B' } }, correction: true, reason: 'Đổi phòng họp' });
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });
	});

	it('never removes the current item or one that was voted on; another item goes, with a reason', async () => {
		const { sittingId, itemId, reportId, chair } = await sittingInProgress(20);
		const before = await footprint(sittingId);
		await expect(chair.sitting.removeAgendaItem({ itemId, reason: 'trùng' })).rejects.toMatchObject({ code: 'CONFLICT', i18nKey: 'sitting.edit.itemIsCurrent' });
		await expect(chair.sitting.removeAgendaItem({ itemId: reportId })).rejects.toMatchObject({ i18nKey: 'sitting.edit.reasonRequired' });
		expect(await footprint(sittingId)).toEqual(before);

		const { voteId } = await chair.vote.open({ sittingId, itemId: reportId, question: 'Thông qua báo cáo', kind: 'open' });
		await chair.vote.close({ voteId });
		await chair.sitting.setCurrentItem({ sittingId, itemId: reportId });
		const voted = await footprint(sittingId);
		await expect(chair.sitting.removeAgendaItem({ itemId: reportId, reason: 'trùng' })).rejects.toMatchObject({ code: 'CONFLICT', i18nKey: 'sitting.edit.itemHasVote' });
		expect(await footprint(sittingId)).toEqual(voted);

		// The submission is no longer current and has no vote: it may go, as a correction.
		const doc = await addDocument(sittingId, itemId);
		await chair.sitting.removeAgendaItem({ itemId, reason: 'Tờ trình rút khỏi kỳ họp' });
		expect(await lastEvent(sittingId)).toMatchObject({ type: 'agenda.itemRemoved', payload: { itemId, correction: true, reason: 'Tờ trình rút khỏi kỳ họp', detachedDocumentIds: [doc.id] } });
		await chair.sitting.removeDocument({ documentId: doc.id, reason: 'Tài liệu của tờ trình đã rút' });
		expect(await lastEvent(sittingId)).toMatchObject({ type: 'document.removed', payload: { documentId: doc.id, correction: true } });
		expect(await verifySittingChain(db(), sittingId)).toMatchObject({ ok: true });
	});
});

describe('refusals: role, council, unknown ids, closed sittings', () => {
	it('only the secretary and the chair of THAT council; another council’s ids answer like unknown ones', async () => {
		const { sittingId, itemId } = await convenedSitting();
		const doc = await addDocument(sittingId, itemId);
		const before = await footprint(sittingId);
		const unknown = '00000000-0000-4000-8000-000000000000';
		for (const username of ['delegate.26743.1', 'clerk.26743', 'site.26743', 'secretary.26740', 'chair.26740', 'monitor.city']) {
			const caller = await as(username);
			const refused = { code: 'FORBIDDEN', i18nKey: 'auth.forbidden' };
			await expect(caller.sitting.update({ sittingId, title: 'X' }), username).rejects.toMatchObject(refused);
			await expect(caller.sitting.updateAgendaItem({ itemId, title: 'X' }), username).rejects.toMatchObject(refused);
			await expect(caller.sitting.removeAgendaItem({ itemId }), username).rejects.toMatchObject(refused);
			await expect(caller.sitting.updateDocument({ documentId: doc.id, title: 'X' }), username).rejects.toMatchObject(refused);
			await expect(caller.sitting.removeDocument({ documentId: doc.id }), username).rejects.toMatchObject(refused);
		}
		// An id that does not exist is answered exactly like another council's (no probing).
		const secretary = await as('secretary.26743');
		const otherSecretary = await as('secretary.26740');
		const foreign = await otherSecretary.sitting.removeAgendaItem({ itemId }).catch((e: unknown) => e);
		const missing = await secretary.sitting.removeAgendaItem({ itemId: unknown }).catch((e: unknown) => e);
		expect(missing).toMatchObject({ code: 'FORBIDDEN', i18nKey: 'auth.forbidden', message: (foreign as Error).message });
		await expect(secretary.sitting.removeDocument({ documentId: unknown })).rejects.toMatchObject({ code: 'FORBIDDEN', i18nKey: 'auth.forbidden' });
		await expect(secretary.sitting.update({ sittingId: unknown, title: 'X' })).rejects.toMatchObject({ code: 'FORBIDDEN', i18nKey: 'auth.forbidden' });
		expect(await footprint(sittingId)).toEqual(before);
	});

	it('refuses bad input with a clear message and changes nothing', async () => {
		const { sittingId, itemId, chair } = await convenedSitting();
		const before = await footprint(sittingId);
		await expect(chair.sitting.updateAgendaItem({ itemId, title: '   ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(chair.sitting.updateAgendaItem({ itemId, plannedMinutes: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await expect(chair.sitting.update({ sittingId, title: 'x'.repeat(301) })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		expect(await footprint(sittingId)).toEqual(before);
	});

	it('once closed, nothing changes, even with a reason', async () => {
		const { sittingId, itemId, reportId, chair } = await sittingInProgress(20);
		const doc = await addDocument(sittingId, reportId);
		await chair.sitting.close({ sittingId });
		const before = await footprint(sittingId);
		const closed = { code: 'CONFLICT', i18nKey: 'sitting.edit.closed' };
		await expect(chair.sitting.update({ sittingId, title: 'Tên mới', reason: 'r' })).rejects.toMatchObject(closed);
		await expect(chair.sitting.updateAgendaItem({ itemId, title: 'Tên mới', reason: 'r' })).rejects.toMatchObject(closed);
		await expect(chair.sitting.removeAgendaItem({ itemId: reportId, reason: 'r' })).rejects.toMatchObject(closed);
		await expect(chair.sitting.updateDocument({ documentId: doc.id, title: 'Tên mới', reason: 'r' })).rejects.toMatchObject(closed);
		await expect(chair.sitting.removeDocument({ documentId: doc.id, reason: 'r' })).rejects.toMatchObject(closed);
		expect(await footprint(sittingId)).toEqual(before);
	});
});
