import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { Fraction } from '../../domain/fraction';
import { quorumState, type QuorumState } from '../../domain/quorum';
import type { Trx } from './events';

type Reader = Db | Trx;

/** Seated delegates (tổng số đại biểu): the council's active delegate memberships (the query, to run or nest). */
function seatedQuery(db: Reader, councilId: string) {
	return db
		.selectFrom('council_members')
		.select(sql<number>`count(*)::int`.as('n'))
		.where('council_id', '=', councilId)
		.where('role', '=', 'delegate')
		.where('active', '=', true);
}

/** Delegates present in the hall or remotely; only seated delegates count (the query, to run or nest). */
export function presentQuery(db: Reader, sittingId: string, councilId: string) {
	return db
		.selectFrom('attendance as a')
		.innerJoin('council_members as m', (j) => j.onRef('m.user_id', '=', 'a.user_id').on('m.council_id', '=', councilId).on('m.role', '=', 'delegate').on('m.active', '=', true))
		.select(sql<number>`count(*)::int`.as('n'))
		.where('a.sitting_id', '=', sittingId)
		.where('a.status', 'in', ['present_hall', 'present_remote']);
}

export async function seatedCount(db: Reader, councilId: string): Promise<number> {
	return (await seatedQuery(db, councilId).executeTakeFirstOrThrow()).n;
}

/** The council's quorum fraction (councils.quorum_num / quorum_den). */
export async function quorumFraction(db: Reader, councilId: string): Promise<Fraction> {
	const council = await db.selectFrom('councils').select(['quorum_num', 'quorum_den']).where('id', '=', councilId).executeTakeFirstOrThrow();
	return { num: council.quorum_num, den: council.quorum_den };
}

/** The sitting's quorum now, in one statement (it is read under the sitting's lock, e.g. when a vote opens). */
export async function councilQuorum(db: Reader, councilId: string, sittingId: string): Promise<QuorumState> {
	const row = await db
		.selectFrom('councils')
		.select((eb) => ['quorum_num', 'quorum_den', eb.selectFrom(seatedQuery(db, councilId).as('s')).select('s.n').as('seated'), eb.selectFrom(presentQuery(db, sittingId, councilId).as('p')).select('p.n').as('present')])
		.where('id', '=', councilId)
		.executeTakeFirstOrThrow();
	const seated = row.seated ?? 0;
	return quorumState(Math.min(row.present ?? 0, seated), seated, { num: row.quorum_num, den: row.quorum_den });
}

/** The user's active delegate membership of the council, if any (the query, to run or nest in `exists`). */
export function delegateQuery(db: Reader, councilId: string, userId: string) {
	return db.selectFrom('council_members').select('id').where('council_id', '=', councilId).where('user_id', '=', userId).where('role', '=', 'delegate').where('active', '=', true);
}

/** The user's attendance of the sitting if it is in the hall or remote (the query, to run or nest in `exists`). */
export function checkedInQuery(db: Reader, sittingId: string, userId: string) {
	return db.selectFrom('attendance').select('status').where('sitting_id', '=', sittingId).where('user_id', '=', userId).where('status', 'in', ['present_hall', 'present_remote']);
}

export async function isDelegateOf(db: Reader, councilId: string, userId: string): Promise<boolean> {
	return !!(await delegateQuery(db, councilId, userId).executeTakeFirst());
}

export async function isCheckedIn(db: Reader, sittingId: string, userId: string): Promise<boolean> {
	return !!(await checkedInQuery(db, sittingId, userId).executeTakeFirst());
}
