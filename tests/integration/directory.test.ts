import { describe, expect, it } from 'vitest';
import { as, councilIdOf } from '../helpers/callers';

describe('directory', () => {
	it('finds people by their council without diacritics: Thủ Dầu Một, Côn Đảo, Bà Rịa', async () => {
		const monitor = await as('monitor.city');
		for (const [q, unit] of [
			['thu dau mot', 'Thủ Dầu Một'],
			['Thủ Dầu Một', 'Thủ Dầu Một'],
			['con dao', 'Côn Đảo'],
			['CÔN ĐẢO', 'Côn Đảo'],
			['ba ria', 'Bà Rịa']
		]) {
			const found = await monitor.directory.search({ q, limit: 200 });
			expect(found.length, q).toBeGreaterThan(0);
			expect(found.some((e) => e.councilName.endsWith(unit)), q).toBe(true);
			expect(found.every((e) => e.councilName.includes(unit) || e.councilId === null), q).toBe(true);
		}
		const conDao = await monitor.directory.search({ q: 'con dao', role: 'chair' });
		expect(conDao).toHaveLength(1);
		expect(conDao[0]).toMatchObject({ role: 'chair', councilName: 'Đặc khu Côn Đảo', username: expect.stringMatching(/^chair\./) });
	});

	it('lists the people whose council or name holds the whole query first', async () => {
		const monitor = await as('monitor.city');
		const found = await monitor.directory.search({ q: 'ben thanh', limit: 200 });
		const benThanh = found.filter((e) => e.councilName === 'Phường Bến Thành');
		expect(benThanh).toHaveLength(34); // chair, secretary, clerk, site operator and 30 delegates
		expect(found.slice(0, 34)).toEqual(benThanh);
		// The rest match word by word: "ben" in the council (Bến Cát), "thanh" in the person's name.
		expect(found.slice(34).every((e) => e.councilName.includes('Bến') && /Thanh|Thành|Thạnh/.test(e.fullName))).toBe(true);
	});

	it('finds a person by name without diacritics, filtered by council and role', async () => {
		const monitor = await as('monitor.city');
		const councilId = await councilIdOf('26743');
		const [person] = await monitor.directory.search({ q: '', councilId, role: 'chair' });
		const folded = person.fullName.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
		const found = await monitor.directory.search({ q: folded, councilId });
		expect(found.map((e) => e.userId)).toContain(person.userId);
		expect(found.every((e) => e.councilId === councilId)).toBe(true);
	});

	it('shows a ward user only the people of their own council', async () => {
		const delegate = await as('delegate.26743.1');
		const own = await councilIdOf('26743');
		const found = await delegate.directory.search({ q: '', limit: 200 });
		expect(found.filter((e) => e.councilId !== null).every((e) => e.councilId === own)).toBe(true);
		expect(found.length).toBeGreaterThan(30);
		expect(await delegate.directory.search({ q: 'con dao' })).toEqual([]);
		await expect(delegate.directory.search({ q: '', councilId: await councilIdOf('26740') })).rejects.toMatchObject({ code: 'FORBIDDEN' });
	});
});
