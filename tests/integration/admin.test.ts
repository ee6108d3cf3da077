import { describe, expect, it } from 'vitest';
import { as, councilIdOf, db } from '../helpers/callers';

describe('administration', () => {
	it('creates a user, assigns a council role, and that user can then sign in and see the council', async () => {
		const admin = await as('admin');
		const councilId = await councilIdOf('26740');
		const { userId } = await admin.admin.createUser({ username: 'nguyen.moi', fullName: 'Nguyễn Văn Mới', password: 'matkhau-an-toan' });
		await admin.admin.assignRole({ userId, councilId, role: 'delegate' });
		const council = await (await as('nguyen.moi')).council.get({ councilId });
		expect(council.delegates.map((d) => d.username)).toContain('nguyen.moi');
		expect(council.seatedDelegates).toBe(31);
	});

	it('refuses a taken username clearly', async () => {
		await expect((await as('admin')).admin.createUser({ username: 'admin', fullName: 'X', password: 'matkhau-an-toan' })).rejects.toMatchObject({
			code: 'CONFLICT',
			message: 'Tên đăng nhập admin đã được sử dụng.'
		});
	});

	it('imports delegates from CSV and reports each bad row, changing nothing for them', async () => {
		const councilId = await councilIdOf('26758');
		const csv = 'username,full_name,password\nle.thi.a,Lê Thị A,matkhau123\nadmin,Trùng Tên,matkhau123\nxx,,matkhau123\n';
		const report = await (await as('admin')).admin.importDelegates({ councilId, csv });
		expect(report.imported).toBe(1);
		expect(report.rejected).toEqual([
			{ line: 3, reason: 'tên đăng nhập đã tồn tại' },
			{ line: 4, reason: 'thiếu họ và tên' }
		]);
		const admins = await db().selectFrom('users').select('full_name').where('username', '=', 'admin').executeTakeFirstOrThrow();
		expect(admins.full_name).toBe('Quản trị hệ thống');
	});

	it('is forbidden to everyone but administrators, and changes nothing', async () => {
		const before = await db().selectFrom('users').select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		for (const username of ['monitor.city', 'chair.26743', 'delegate.26743.1']) {
			await expect((await as(username)).admin.createUser({ username: `x.${username}`, fullName: 'X', password: 'matkhau123' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
		}
		const after = await db().selectFrom('users').select(db().fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
		expect(after.n).toBe(before.n);
	});
});
