import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { CityRole, CouncilRole } from '../../../../db/schema.js';
import { searchName } from '../../../../db/search-name.js';

export interface DirectoryQuery {
	q: string;
	councilId?: string;
	role?: CouncilRole | CityRole;
	/** Councils the caller may see; null = all (city roles). */
	scope: string[] | null;
	limit?: number;
}

export interface DirectoryEntry {
	userId: string;
	username: string;
	fullName: string;
	councilId: string | null;
	councilName: string;
	councilCode: string | null;
	role: CouncilRole | CityRole;
	title: string | null;
	email: string | null;
	phone: string | null;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (m) => '\\' + m);

/**
 * Delegates and officials by name without diacritics ("thu dau mot" finds "Thủ Dầu Một"); a query also
 * matches the council's name, so "con dao" lists the delegates of Côn Đảo. Every word must match; those
 * matching the whole query in one name come first.
 */
export async function searchDirectory(db: Db, query: DirectoryQuery): Promise<DirectoryEntry[]> {
	const words = searchName(query.q).split(' ').filter(Boolean).slice(0, 6);
	const limit = Math.min(query.limit ?? 50, 200);
	if (query.scope && query.scope.length === 0) return [];
	const wantsCityRole = query.role === 'monitor' || query.role === 'admin';
	const entries: DirectoryEntry[] = [];

	if (!wantsCityRole) {
		let q = db
			.selectFrom('council_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.innerJoin('councils as c', 'c.id', 'm.council_id')
			.select(['u.id', 'u.username', 'u.full_name', 'u.email', 'u.phone', 'c.id as council_id', 'c.name as council_name', 'c.code', 'm.role', 'm.title'])
			.where('m.active', '=', true)
			.where('u.active', '=', true);
		for (const w of words) {
			const like = `%${escapeLike(w)}%`;
			q = q.where((eb) => eb.or([eb('u.search_name', 'like', like), eb('c.search_name', 'like', like), eb('u.username', 'like', like)]));
		}
		if (query.councilId) q = q.where('m.council_id', '=', query.councilId);
		if (query.scope) q = q.where('m.council_id', 'in', query.scope);
		if (query.role) q = q.where('m.role', '=', query.role as CouncilRole);
		// The whole query found in one name first: "ben thanh" lists Bến Thành's people before those of Bến Cát
		// whose own name holds "Thanh".
		const phrase = `%${escapeLike(words.join(' '))}%`;
		const rows = await q
			.orderBy(sql`case when u.search_name like ${phrase} or c.search_name like ${phrase} then 0 else 1 end`)
			.orderBy(sql`case m.role when 'chair' then 0 when 'secretary' then 1 when 'clerk' then 2 when 'delegate' then 3 else 4 end`)
			.orderBy('c.code')
			.orderBy('u.search_name')
			.limit(limit)
			.execute();
		for (const r of rows)
			entries.push({ userId: r.id, username: r.username, fullName: r.full_name, councilId: r.council_id, councilName: r.council_name, councilCode: r.code, role: r.role, title: r.title, email: r.email, phone: r.phone });
	}
	// The city's standing committee and administrators are in the directory for everyone who may see the city.
	if (!query.councilId && (!query.role || wantsCityRole) && (query.scope === null || wantsCityRole || words.length > 0)) {
		let q = db.selectFrom('city_roles as r').innerJoin('users as u', 'u.id', 'r.user_id').select(['u.id', 'u.username', 'u.full_name', 'u.email', 'u.phone', 'r.role']).where('u.active', '=', true);
		for (const w of words) q = q.where((eb) => eb.or([eb('u.search_name', 'like', `%${escapeLike(w)}%`), eb('u.username', 'like', `%${escapeLike(w)}%`)]));
		if (wantsCityRole) q = q.where('r.role', '=', query.role as CityRole);
		const rows = await q.limit(20).execute();
		for (const r of rows)
			entries.push({ userId: r.id, username: r.username, fullName: r.full_name, councilId: null, councilName: 'Thường trực HĐND Thành phố', councilCode: null, role: r.role, title: null, email: r.email, phone: r.phone });
	}
	return entries.slice(0, limit);
}
