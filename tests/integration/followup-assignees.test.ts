import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db, userIdOf } from '../helpers/callers';

// Issue 19: a ward chair assigned a follow-up task to `chair.city` and so sent a free-text, phishing-style notice to
// an account outside the ward. Assignees now come from the council's own people; nothing is stored or sent otherwise.

const task = (councilId: string, assigneeUserId: string) => ({
	councilId,
	resolutionRef: '07/2026/NQ-HĐND',
	title: 'Xác minh tài khoản tại đường dẫn sau',
	agency: 'UBND phường Bến Thành',
	assigneeUserId,
	deadline: new Date(Date.now() + 7 * 86_400_000)
});

const NOT_MEMBER = { code: 'BAD_REQUEST', i18nKey: 'followup.assigneeNotMember', message: 'Chỉ giao nhiệm vụ cho đại biểu hoặc cán bộ của chính Hội đồng nhân dân này.' };

async function counts() {
	const n = async (table: 'followup_tasks' | 'notifications' | 'scheduled_jobs') => Number((await db().selectFrom(table).select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
	return { tasks: await n('followup_tasks'), notifications: await n('notifications'), jobs: await n('scheduled_jobs') };
}

describe('follow-up assignees', () => {
	it('refuses anyone outside the council (the city’s chair, another ward’s delegate, its site operator, a revoked member, an unknown id), changing nothing', async () => {
		const ward = await councilIdOf('26743');
		const chair = await as('chair.26743');
		const admin = await as('admin');
		const revoked = await userIdOf('delegate.26743.29');
		await admin.admin.revokeRole({ userId: revoked, councilId: ward, role: 'delegate' });
		const before = await counts();
		const outsiders = [await userIdOf('chair.city'), await userIdOf('delegate.26737.1'), await userIdOf('site.26743'), revoked, '00000000-0000-4000-8000-000000000019'];
		for (const assignee of outsiders) {
			await expect(chair.followup.create(task(ward, assignee))).rejects.toMatchObject(NOT_MEMBER);
			// The city's roles assign in any council, but also only to its people.
			await expect(admin.followup.create(task(ward, assignee))).rejects.toMatchObject(NOT_MEMBER);
		}
		expect(await counts()).toEqual(before);
	});

	it('assigns to the council’s delegates and officers, who are notified', async () => {
		const ward = await councilIdOf('26743');
		const chair = await as('chair.26743');
		for (const username of ['delegate.26743.3', 'secretary.26743', 'chair.26743']) {
			const assigneeUserId = await userIdOf(username);
			const { taskId } = await chair.followup.create(task(ward, assigneeUserId));
			const row = await db().selectFrom('followup_tasks').select(['council_id', 'assignee_user_id']).where('id', '=', taskId).executeTakeFirstOrThrow();
			expect(row).toEqual({ council_id: ward, assignee_user_id: assigneeUserId });
			const notices = await db().selectFrom('notifications').select(['kind', 'title']).where('user_id', '=', assigneeUserId).where('kind', '=', 'followup.assigned').execute();
			expect(notices).toEqual([{ kind: 'followup.assigned', title: 'Xác minh tài khoản tại đường dẫn sau' }]);
		}
	});
});
