import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { monitorOverview, type MonitorRow } from './overview';
import { resolutionsAvailable } from './schema-probe';
import { csvDocument } from '../csv';

export interface MonthPoint {
	/** First day of the month, YYYY-MM. */
	month: string;
	sittings: number;
	votes: number;
	resolutions: number;
	tasksDue: number;
	tasksDone: number;
	petitions: number;
}

const TZ = 'Asia/Ho_Chi_Minh';

/** A council's figures month by month over the last `months` months (Vietnam time), one query. */
export async function councilSeries(db: Db, councilId: string, months = 12): Promise<MonthPoint[]> {
	const res = (await resolutionsAvailable(db))
		? sql`(select count(*)::int from resolutions r where r.council_id = ${councilId} and r.adopted_at >= m.start and r.adopted_at < m.stop)`
		: sql`0`;
	const { rows } = await sql<{ month: string; sittings: number; votes: number; resolutions: number; tasks_due: number; tasks_done: number; petitions: number }>`
		with months as (
			select to_char(d, 'YYYY-MM') as month, (d at time zone ${TZ}) as start, ((d + interval '1 month') at time zone ${TZ}) as stop
			from generate_series(date_trunc('month', now() at time zone ${TZ}) - make_interval(months => ${months - 1}), date_trunc('month', now() at time zone ${TZ}), interval '1 month') d
		)
		select m.month,
			(select count(*)::int from sittings s where s.council_id = ${councilId} and s.starts_at >= m.start and s.starts_at < m.stop) as sittings,
			(select count(*)::int from votes v where v.council_id = ${councilId} and v.opened_at >= m.start and v.opened_at < m.stop) as votes,
			${res} as resolutions,
			(select count(*)::int from followup_tasks t where t.council_id = ${councilId} and t.deadline >= m.start and t.deadline < m.stop) as tasks_due,
			(select count(*)::int from followup_tasks t where t.council_id = ${councilId} and t.completed_at >= m.start and t.completed_at < m.stop) as tasks_done,
			(select count(*)::int from petitions p where p.council_id = ${councilId} and p.created_at >= m.start and p.created_at < m.stop) as petitions
		from months m order by m.month`.execute(db);
	return rows.map((r) => ({ month: r.month, sittings: r.sittings, votes: r.votes, resolutions: r.resolutions, tasksDue: r.tasks_due, tasksDone: r.tasks_done, petitions: r.petitions }));
}

export async function councilDetail(db: Db, councilId: string) {
	const [[row], series, sittings] = await Promise.all([
		monitorOverview(db, [councilId]),
		councilSeries(db, councilId),
		db
			.selectFrom('sittings')
			.select(['id', 'kind', 'number', 'title', 'starts_at', 'status'])
			.where('council_id', '=', councilId)
			.orderBy('starts_at', 'desc')
			.limit(20)
			.execute()
	]);
	return {
		row: row as MonitorRow | undefined,
		series,
		sittings: sittings.map((s) => ({ id: s.id, kind: s.kind, number: s.number, title: s.title, startsAt: s.starts_at.toISOString(), status: s.status }))
	};
}

/** The drill-down as CSV (csv.ts): the monthly figures, then the latest sittings. */
export function councilCsv(detail: Awaited<ReturnType<typeof councilDetail>>, labels: Record<string, string>): string {
	const lines: unknown[][] = [
		[labels.council, detail.row?.name ?? ''],
		[],
		[labels.month, labels.sittings, labels.votes, labels.resolutions, labels.tasksDue, labels.tasksDone, labels.petitions],
		...detail.series.map((p) => [p.month, p.sittings, p.votes, p.resolutions, p.tasksDue, p.tasksDone, p.petitions]),
		[],
		[labels.number, labels.title, labels.startsAt, labels.status],
		...detail.sittings.map((s) => [s.number, s.title, s.startsAt, s.status])
	];
	return csvDocument(lines);
}
