import { describe, expect, it } from 'vitest';
import { as, councilIdOf } from '../helpers/callers';

describe('voter petitions', () => {
	it('records, assigns and answers a petition; the dashboard counts it', async () => {
		const councilId = await councilIdOf('26743');
		const delegate = await as('delegate.26743.2');
		const { petitionId } = await delegate.petition.create({ councilId, topic: 'Giao thông', area: 'Khu phố 2', text: 'Đề nghị sửa mặt đường Nguyễn Trãi' });
		const monitor = await as('monitor.city');
		const row = () => monitor.monitor.overview().then((o) => o.rows.find((r) => r.councilId === councilId)!);
		expect((await row()).petitions).toEqual({ total: 1, pending: 1, answered: 0 });

		await expect(delegate.petition.assign({ petitionId, agency: 'UBND phường' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect(monitor.petition.assign({ petitionId, agency: 'UBND phường' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const chair = await as('chair.26743');
		expect(await chair.petition.assign({ petitionId, agency: 'UBND phường Bến Thành' })).toMatchObject({ status: 'assigned' });
		expect(await chair.petition.answer({ petitionId, answer: 'Đã đưa vào kế hoạch quý III', status: 'answered' })).toMatchObject({ status: 'answered' });
		expect((await row()).petitions).toEqual({ total: 1, pending: 0, answered: 1 });
		const [p] = await delegate.petition.list({ councilId });
		expect(p).toMatchObject({ status: 'answered', agency: 'UBND phường Bến Thành', answer: 'Đã đưa vào kế hoạch quý III' });
		expect((await delegate.notification.list()).items.some((n) => n.kind === 'petition.answered')).toBe(true);
		await expect((await as('delegate.26740.1')).petition.list({ councilId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		expect((await monitor.petition.list()).length).toBe(1);
	});
});
