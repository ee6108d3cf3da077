import { describe, expect, it } from 'vitest';
import { anonymous, as, councilIdOf } from '../helpers/callers';

describe('councils', () => {
	it('lists all 169 councils with their kinds and seated delegates', async () => {
		const councils = await (await as('delegate.26743.1')).council.list();
		expect(councils).toHaveLength(169);
		const byKind = councils.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {});
		expect(byKind).toEqual({ city: 1, ward: 113, commune: 54, special_zone: 1 });
		const city = councils.find((c) => c.code === 'city')!;
		expect(city).toMatchObject({ name: 'Thành phố Hồ Chí Minh', seatedDelegates: 95 });
		expect(councils.find((c) => c.code === '26743')).toMatchObject({ name: 'Phường Bến Thành', kind: 'ward', seatedDelegates: 30 });
		expect(councils.find((c) => c.kind === 'special_zone')?.name).toBe('Đặc khu Côn Đảo');
		for (const c of councils) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'code', 'name', 'kind', 'seatedDelegates']));
	});

	it('requires a session to list councils', async () => {
		await expect(anonymous().council.list()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
	});

	it('gives a council with its delegates to its own members, the monitor and the admin', async () => {
		const councilId = await councilIdOf('26743');
		for (const username of ['delegate.26743.7', 'chair.26743', 'monitor.city', 'admin']) {
			const council = await (await as(username)).council.get({ councilId });
			expect(council.delegates).toHaveLength(30);
			expect(council.delegates[0]).toMatchObject({ username: 'delegate.26743.1' });
			expect(council.officers.map((o) => o.role).sort()).toEqual(['chair', 'clerk', 'secretary', 'site_operator']);
		}
	});

	it('denies a delegate of one council another council (FORBIDDEN, in Vietnamese)', async () => {
		const other = await councilIdOf('26740');
		await expect((await as('delegate.26743.1')).council.get({ councilId: other })).rejects.toMatchObject({
			code: 'FORBIDDEN',
			message: 'Bạn không có quyền thực hiện thao tác này.'
		});
	});

	it('rejects a malformed council id before touching the database', async () => {
		await expect((await as('admin')).council.get({ councilId: 'not-a-uuid' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
	});
});
