import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db } from '../helpers/callers';
import { delegates } from '../helpers/sittings';
import { cityTick } from '../../app/lib/server/notifications/runner';

describe('electronic consultation', () => {
	it('accepts one answer per delegate (enforced by the database) and aggregates live', async () => {
		const councilId = await councilIdOf('26743');
		const chair = await as('chair.26743');
		const { consultationId, seated } = await chair.consultation.create({ councilId, title: 'Dự thảo quy chế', question: 'Đồng ý với dự thảo?', deadline: new Date(Date.now() + 3_600_000) });
		expect(seated).toBe(30);
		const [d1, d2, d3] = await Promise.all(delegates().slice(0, 3).map((u) => as(u)));
		// Two answers of one delegate at the same moment: exactly one is stored.
		const both = await Promise.allSettled([d1.consultation.answer({ consultationId, choice: 'agree' }), d1.consultation.answer({ consultationId, choice: 'disagree' })]);
		expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(both.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'CONFLICT' } });
		await expect(d1.consultation.answer({ consultationId, choice: 'agree' })).rejects.toMatchObject({ code: 'CONFLICT' });
		await d2.consultation.answer({ consultationId, choice: 'disagree' });
		await expect(d3.consultation.answer({ consultationId, choice: 'comment' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
		await d3.consultation.answer({ consultationId, choice: 'comment', comment: 'Cần bổ sung điều 5' });
		const result = await chair.consultation.result({ consultationId });
		expect(result).toMatchObject({ status: 'open', seated: 30, answered: 3, notAnswered: 27, comment: 1 });
		expect(result.agree + result.disagree).toBe(2);
		const rows = await db().selectFrom('consultation_answers').select('user_id').where('consultation_id', '=', consultationId).execute();
		expect(rows).toHaveLength(3);
		// The delegates were asked in-app.
		expect((await d1.notification.list()).items.some((n) => n.kind === 'consultation.opened')).toBe(true);
	});

	it('closes at its deadline: the tick closes it and no answer is taken after', async () => {
		const councilId = await councilIdOf('26740');
		const chair = await as('chair.26740');
		const { consultationId } = await chair.consultation.create({ councilId, title: 'Lấy ý kiến nhanh', question: '?', deadline: new Date(Date.now() + 1200) });
		await (await as('delegate.26740.1')).consultation.answer({ consultationId, choice: 'agree' });
		await sleep(1300);
		await expect((await as('delegate.26740.2')).consultation.answer({ consultationId, choice: 'agree' })).rejects.toMatchObject({ code: 'CONFLICT' });
		await cityTick(db());
		const stored = await db().selectFrom('consultations').select(['status', 'closed_at']).where('id', '=', consultationId).executeTakeFirstOrThrow();
		expect(stored.status).toBe('closed');
		expect(stored.closed_at).not.toBeNull();
		expect(await chair.consultation.result({ consultationId })).toMatchObject({ status: 'closed', agree: 1, answered: 1 });
		expect((await chair.notification.list()).items.some((n) => n.kind === 'consultation.closed')).toBe(true);
	});

	it('lets only the council’s organisers (and the city monitor for the city council) consult, and only delegates answer', async () => {
		const ward = await councilIdOf('26743');
		const city = await councilIdOf('city');
		const deadline = new Date(Date.now() + 86_400_000);
		await expect((await as('delegate.26743.1')).consultation.create({ councilId: ward, title: 'x', question: 'x', deadline })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('chair.26740')).consultation.create({ councilId: ward, title: 'x', question: 'x', deadline })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const monitor = await as('monitor.city');
		await expect(monitor.consultation.create({ councilId: ward, title: 'x', question: 'x', deadline })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		const { consultationId } = await monitor.consultation.create({ councilId: city, title: 'Ý kiến đại biểu HĐND TP', question: '?', deadline });
		await expect(monitor.consultation.answer({ consultationId, choice: 'agree' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26743.1')).consultation.answer({ consultationId, choice: 'agree' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await expect((await as('delegate.26743.1')).consultation.result({ consultationId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		await (await as('delegate.city.1')).consultation.answer({ consultationId, choice: 'agree' });
		expect((await monitor.consultation.result({ consultationId })).seated).toBe(95);
	});
});
