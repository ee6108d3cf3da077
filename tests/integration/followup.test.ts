import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db, userIdOf } from '../helpers/callers';
import { cityTick } from '../../app/lib/server/notifications/runner';

describe('follow-up of resolutions', () => {
	it('creates a task, takes progress reports, and completes at 100 %', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		const assignee = await userIdOf('clerk.26743');
		const { taskId } = await chair.followup.create({
			councilId,
			resolutionRef: '05/2026/NQ-HĐND — chỉnh trang đô thị',
			title: 'Chỉnh trang vỉa hè tuyến Lê Lợi',
			agency: 'UBND phường Bến Thành',
			assigneeUserId: assignee,
			deadline: new Date(Date.now() + 30 * 86_400_000),
			expectedResult: 'Hoàn thành 2 km vỉa hè'
		});
		const clerk = await as('clerk.26743');
		expect(await clerk.followup.report({ taskId, percent: 40, text: 'Đã thi công 800 m' })).toMatchObject({ progress: 40, status: 'open', state: 'on_time' });
		const [task] = await chair.followup.list({ councilId });
		expect(task).toMatchObject({ id: taskId, progress: 40, state: 'on_time', lastReport: 'Đã thi công 800 m', agency: 'UBND phường Bến Thành' });
		expect(await clerk.followup.report({ taskId, percent: 100, text: 'Hoàn thành' })).toMatchObject({ status: 'done', state: 'done' });
		await expect(clerk.followup.report({ taskId, percent: 100, text: 'lần nữa' })).rejects.toMatchObject({ code: 'CONFLICT' });
		expect(await chair.followup.reports({ taskId })).toHaveLength(2);
		// The assignee was told (in-app).
		expect((await clerk.notification.list()).items.some((n) => n.kind === 'followup.assigned')).toBe(true);
	});

	it('follows an issued resolution by id, or refuses one of another council', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		await expect(
			chair.followup.create({ councilId, resolutionId: '00000000-0000-4000-8000-000000000001', title: 'x', agency: 'UBND', deadline: new Date(Date.now() + 86_400_000) })
		).rejects.toMatchObject({ code: 'NOT_FOUND' });
		await expect(chair.followup.create({ councilId, title: 'x', agency: 'UBND', deadline: new Date() } as never)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});

	it('flags a task overdue at its deadline and escalates it to the city', async () => {
		const councilId = await councilIdOf('26740');
		const monitor = await as('monitor.city');
		const deadline = new Date(Date.now() + 1500);
		const { taskId } = await monitor.followup.create({ councilId, resolutionRef: '07/2026/NQ-HĐND', title: 'Báo cáo kết quả giải ngân', agency: 'Phòng Kinh tế', deadline });
		expect((await monitor.followup.list({ councilId }))[0].state).toBe('on_time');
		expect((await monitor.followup.escalations()).some((e) => e.councilId === councilId)).toBe(false);
		await sleep(1600);
		// At the deadline the lists say so at once, before any tick …
		expect((await monitor.followup.list({ councilId, state: 'overdue' })).map((t) => t.id)).toEqual([taskId]);
		expect((await monitor.monitor.overview()).rows.find((r) => r.councilId === councilId)!.tasks.overdue).toBe(1);
		// … and the tick marks it once and alerts the council's officers and the city.
		await cityTick(db());
		const row = await db().selectFrom('followup_tasks').select(['overdue_at']).where('id', '=', taskId).executeTakeFirstOrThrow();
		expect(row.overdue_at).not.toBeNull();
		await cityTick(db());
		const chair = await as('chair.26740');
		expect((await chair.notification.list()).items.filter((n) => n.kind === 'followup.overdue')).toHaveLength(1);
		expect((await monitor.notification.list()).items.filter((n) => n.kind === 'followup.overdue')).toHaveLength(1);
		const esc = await monitor.followup.escalations();
		expect(esc.find((e) => e.councilId === councilId)).toMatchObject({ overdue: 1, open: 1 });
	});

	it('keeps a ward user to their own council', async () => {
		const own = await councilIdOf('26743');
		const other = await councilIdOf('27154');
		const monitor = await as('monitor.city');
		await monitor.followup.create({ councilId: other, resolutionRef: '01/2026/NQ-HĐND', title: 'Nhiệm vụ phường Bàn Cờ', agency: 'UBND', deadline: new Date(Date.now() + 86_400_000) });
		const chair = await as('chair.26743');
		await expect(chair.followup.list({ councilId: other })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await chair.followup.list()).every((t) => t.councilId === own)).toBe(true);
		await expect(chair.followup.create({ councilId: other, resolutionRef: 'x', title: 'x', agency: 'x', deadline: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26743.1')).followup.create({ councilId: own, resolutionRef: 'x', title: 'x', agency: 'x', deadline: new Date(Date.now() + 86_400_000) })).rejects.toMatchObject({
			code: 'FORBIDDEN'
		});
		await expect(chair.followup.escalations()).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const [task] = await monitor.followup.list({ councilId: other });
		await expect(chair.followup.report({ taskId: task.id, percent: 10, text: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		// The monitor assigns and chases, but does not report progress for an agency.
		await expect(monitor.followup.report({ taskId: task.id, percent: 10, text: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
