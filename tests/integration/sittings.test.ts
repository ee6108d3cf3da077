import { describe, expect, it } from 'vitest';
import { as, councilIdOf } from '../helpers/callers';
import { checkIn, convenedSitting, delegates, eventTypes, sittingInProgress } from '../helpers/sittings';

describe('sitting lifecycle', () => {
	it('runs draft → convened → in progress → closed, with every step on the event chain', async () => {
		const { sittingId, itemId, reportId, chair } = await convenedSitting();
		expect((await chair.sitting.state({ sittingId })).status).toBe('convened');
		await checkIn(sittingId, delegates().slice(0, 20));
		await chair.sitting.start({ sittingId });
		await chair.sitting.setCurrentItem({ sittingId, itemId: reportId });
		await chair.sitting.setCurrentItem({ sittingId, itemId });
		const state = await chair.sitting.state({ sittingId });
		expect(state).toMatchObject({ status: 'in_progress', seated: 30, present: 20, quorumMet: true, currentItemId: itemId, floor: { speaker: null, queue: [] } });
		await chair.sitting.close({ sittingId });
		expect((await chair.sitting.state({ sittingId })).status).toBe('closed');
		expect(await eventTypes(sittingId)).toEqual([
			'sitting.created',
			'agenda.itemAdded',
			'agenda.itemAdded',
			'sitting.status',
			...Array(20).fill('attendance.changed'),
			'sitting.status',
			'sitting.currentItem',
			'sitting.currentItem',
			'sitting.status',
			'chain.anchor' // the closed sitting's final head, signed (issue 17)
		]);
		const verdict = await chair.sitting.verifyChain({ sittingId });
		expect(verdict).toMatchObject({ ok: true, events: 29 });
	});

	it('refuses illegal transitions with a clear message and changes nothing', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		const { sittingId } = await chair.sitting.create({ councilId, kind: 'thematic', title: 'Chuyên đề', startsAt: new Date() });
		await expect(chair.sitting.start({ sittingId })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Không thể chuyển kỳ họp') });
		await expect(chair.sitting.convene({ sittingId })).rejects.toMatchObject({ message: 'Kỳ họp chưa có nội dung chương trình.' });
		expect((await chair.sitting.state({ sittingId })).status).toBe('draft');
	});

	it('numbers sittings per council within the term', async () => {
		const councilId = await councilIdOf('26737');
		const chair = await as('chair.26737');
		const a = await chair.sitting.create({ councilId, kind: 'regular', title: 'Một', startsAt: new Date() });
		const b = await chair.sitting.create({ councilId, kind: 'regular', title: 'Hai', startsAt: new Date() });
		expect(b.number).toBe(a.number + 1);
	});

	it('reorders the agenda before the sitting starts, and only then', async () => {
		const { sittingId, itemId, reportId, chair } = await convenedSitting();
		await chair.sitting.reorderAgenda({ sittingId, itemIds: [itemId, reportId] });
		expect((await chair.sitting.get({ sittingId })).agenda.map((a) => a.id)).toEqual([itemId, reportId]);
		await expect(chair.sitting.reorderAgenda({ sittingId, itemIds: [itemId] })).rejects.toMatchObject({ message: 'Danh sách sắp xếp phải gồm đúng các nội dung của chương trình.' });
		await checkIn(sittingId, delegates().slice(0, 20));
		await chair.sitting.start({ sittingId });
		await expect(chair.sitting.reorderAgenda({ sittingId, itemIds: [reportId, itemId] })).rejects.toMatchObject({ code: 'CONFLICT', message: 'Chỉ sửa chương trình trước khi khai mạc kỳ họp.' });
	});
});

describe('attendance and quorum', () => {
	it('with 30 seated, 19 present is not a quorum and 20 is', async () => {
		const { sittingId, chair } = await convenedSitting();
		await checkIn(sittingId, delegates().slice(0, 19));
		expect(await chair.sitting.state({ sittingId })).toMatchObject({ present: 19, seated: 30, required: 20, quorumMet: false });
		await expect(chair.sitting.start({ sittingId })).rejects.toMatchObject({
			code: 'BAD_REQUEST',
			message: 'Chưa đủ số đại biểu tham dự theo quy định (19/30, cần tối thiểu 20).'
		});
		expect((await chair.sitting.state({ sittingId })).status).toBe('convened');
		await checkIn(sittingId, ['delegate.26743.20']);
		expect(await chair.sitting.state({ sittingId })).toMatchObject({ present: 20, quorumMet: true });
		await chair.sitting.start({ sittingId });
	});

	it('counts remote delegates, and the secretary marks absences with a reason', async () => {
		const { sittingId } = await convenedSitting();
		const secretary = await as('secretary.26743');
		await (await as('delegate.26743.1')).attendance.checkIn({ sittingId, mode: 'remote' });
		const delegateId = (await secretary.sitting.get({ sittingId })).attendance.find((a) => a.username === 'delegate.26743.2')!.userId;
		await secretary.attendance.mark({ sittingId, delegateId, status: 'absent_excused', reason: 'Đi công tác' });
		const detail = await secretary.sitting.get({ sittingId });
		expect(detail.attendance.find((a) => a.username === 'delegate.26743.1')?.status).toBe('present_remote');
		expect(detail.attendance.find((a) => a.username === 'delegate.26743.2')).toMatchObject({ status: 'absent_excused', reason: 'Đi công tác' });
		expect((await secretary.sitting.state({ sittingId })).present).toBe(1);
	});

	it('refuses to mark someone who is not a delegate of the council', async () => {
		const { sittingId } = await convenedSitting();
		const secretary = await as('secretary.26743');
		const outsider = (await (await as('delegate.26740.1')).auth.me())!.id;
		await expect(secretary.attendance.mark({ sittingId, delegateId: outsider, status: 'present_hall' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});

describe('the floor', () => {
	it('puts points of order first, grants, ends, and keeps the log', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		const d1 = await as('delegate.26743.1');
		const d2 = await as('delegate.26743.2');
		const d3 = await as('delegate.26743.3');
		await d1.floor.request({ sittingId, kind: 'speech' });
		await d2.floor.request({ sittingId, kind: 'question' });
		const { floor } = await d3.floor.request({ sittingId, kind: 'point_of_order' });
		expect(floor.queue.map((q) => q.kind)).toEqual(['point_of_order', 'speech', 'question']);
		await expect(d1.floor.request({ sittingId, kind: 'speech' })).rejects.toMatchObject({ code: 'CONFLICT' });
		const granted = await chair.floor.grant({ requestId: floor.queue[0].requestId, allottedSec: 120 });
		expect(granted.floor.speaker).toMatchObject({ kind: 'point_of_order', allottedSec: 120 });
		expect(granted.floor.queue).toHaveLength(2);
		await d2.floor.withdraw({ requestId: granted.floor.queue[1].requestId });
		const ended = await chair.floor.end({ sittingId });
		expect(ended.floor).toEqual({ speaker: null, queue: [expect.objectContaining({ kind: 'speech' })] });
		const log = await chair.floor.log({ sittingId });
		expect(log).toEqual([expect.objectContaining({ kind: 'point_of_order', seconds: expect.any(Number) })]);
	});

	it('lets the chair reorder the queue', async () => {
		const { sittingId, chair } = await sittingInProgress(25);
		for (const n of [1, 2, 3]) await (await as(`delegate.26743.${n}`)).floor.request({ sittingId, kind: 'speech' });
		const before = (await chair.sitting.state({ sittingId })).floor.queue;
		const moved = await chair.floor.move({ sittingId, requestId: before[2].requestId, index: 0 });
		expect(moved.floor.queue.map((q) => q.requestId)).toEqual([before[2].requestId, before[0].requestId, before[1].requestId]);
	});

	it('requires a checked-in delegate to request the floor', async () => {
		const { sittingId } = await sittingInProgress(20);
		await expect((await as('delegate.26743.30')).floor.request({ sittingId, kind: 'speech' })).rejects.toMatchObject({ message: 'Vui lòng điểm danh trước khi đăng ký phát biểu.' });
	});
});

describe('authorisation', () => {
	it('a delegate cannot move the agenda, run the sitting or grant the floor', async () => {
		const { sittingId, itemId } = await sittingInProgress(20);
		const delegate = await as('delegate.26743.1');
		const { requestId } = await delegate.floor.request({ sittingId, kind: 'speech' });
		await expect(delegate.sitting.setCurrentItem({ sittingId, itemId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(delegate.floor.grant({ requestId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(delegate.sitting.close({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(delegate.vote.open({ sittingId, itemId, question: 'X?', kind: 'open' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await delegate.sitting.state({ sittingId })).floor.speaker).toBeNull();
	});

	it('a delegate of another council can neither read nor subscribe to the sitting', async () => {
		const { sittingId } = await convenedSitting();
		const outsider = await as('delegate.26740.1');
		await expect(outsider.sitting.get({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(outsider.sitting.state({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(outsider.sitting.events({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(outsider.attendance.checkIn({ sittingId, mode: 'hall' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});

	it('the city monitor reads a ward sitting but cannot run it', async () => {
		const { sittingId, itemId } = await convenedSitting();
		const monitor = await as('monitor.city');
		expect((await monitor.sitting.get({ sittingId })).status).toBe('convened');
		await expect(monitor.sitting.start({ sittingId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(monitor.sitting.setCurrentItem({ sittingId, itemId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
