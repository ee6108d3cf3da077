import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { CouncilKind } from '../../../../db/schema.js';

export interface CouncilSummary {
	id: string;
	code: string;
	name: string;
	unitName: string;
	kind: CouncilKind;
	formerProvince: string | null;
	formerDistrict: string | null;
	seatedDelegates: number;
}

/** Seated delegates (tổng số đại biểu) are the council's active delegate memberships. */
function seatedCount(db: Db) {
	return db
		.selectFrom('council_members')
		.select(['council_id', (eb) => eb.fn.countAll<number>().as('seated')])
		.where('role', '=', 'delegate')
		.where('active', '=', true)
		.groupBy('council_id')
		.as('s');
}

export async function listCouncils(db: Db): Promise<CouncilSummary[]> {
	const rows = await db
		.selectFrom('councils as c')
		.leftJoin(seatedCount(db), 's.council_id', 'c.id')
		.select(['c.id', 'c.code', 'c.name', 'c.unit_name', 'c.kind', 'c.former_province', 'c.former_district', sql<number>`coalesce(s.seated, 0)::int`.as('seated')])
		.orderBy(sql`c.kind = 'city'`, 'desc')
		.orderBy('c.code')
		.execute();
	return rows.map((r) => ({
		id: r.id,
		code: r.code,
		name: r.name,
		unitName: r.unit_name,
		kind: r.kind,
		formerProvince: r.former_province,
		formerDistrict: r.former_district,
		seatedDelegates: r.seated
	}));
}

export async function getCouncil(db: Db, councilId: string) {
	const council = await db.selectFrom('councils').selectAll().where('id', '=', councilId).executeTakeFirst();
	if (!council) return null;
	const members = await db
		.selectFrom('council_members as m')
		.innerJoin('users as u', 'u.id', 'm.user_id')
		.select(['m.id as memberId', 'u.id as userId', 'u.username', 'u.full_name as fullName', 'm.role', 'm.title'])
		.where('m.council_id', '=', councilId)
		.where('m.active', '=', true)
		.orderBy('m.role')
		.orderBy('u.username')
		.execute();
	// Natural order for demo usernames (delegate.x.2 before delegate.x.10).
	const collator = new Intl.Collator('vi', { numeric: true });
	const delegates = members.filter((m) => m.role === 'delegate').sort((a, b) => collator.compare(a.username, b.username));
	return {
		id: council.id,
		code: council.code,
		name: council.name,
		unitName: council.unit_name,
		kind: council.kind,
		formerProvince: council.former_province,
		formerDistrict: council.former_district,
		mergedFrom: council.merged_from,
		termLabel: council.term_label,
		settings: {
			quorum: { num: council.quorum_num, den: council.quorum_den },
			customRule: council.custom_rule_num && council.custom_rule_den ? { num: council.custom_rule_num, den: council.custom_rule_den } : null,
			allowVoteChange: council.allow_vote_change
		},
		seatedDelegates: delegates.length,
		delegates: delegates.map(({ memberId, userId, username, fullName, title }) => ({ memberId, userId, username, fullName, title })),
		officers: members.filter((m) => m.role !== 'delegate').map(({ userId, username, fullName, role, title }) => ({ userId, username, fullName, role, title }))
	};
}

export async function councilExists(db: Db, councilId: string): Promise<boolean> {
	return !!(await db.selectFrom('councils').select('id').where('id', '=', councilId).executeTakeFirst());
}
