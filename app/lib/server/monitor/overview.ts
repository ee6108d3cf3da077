import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { CouncilKind, SittingStatus } from '../../../../db/schema.js';
import { resolutionsAvailable } from './schema-probe';

/** The current term (khóa) of the commune-level councils began with the new units on 1 July 2025. */
export const TERM_START = process.env.TERM_START ?? '2025-07-01T00:00:00+07:00';
const TZ = 'Asia/Ho_Chi_Minh';

export type LiveStatus = 'in_session' | 'voting' | 'convened' | 'idle';

export interface MonitorRow {
	councilId: string;
	code: string;
	name: string;
	kind: CouncilKind;
	formerProvince: string | null;
	formerDistrict: string | null;
	searchName: string;
	seated: number;
	status: LiveStatus;
	live: null | {
		sittingId: string;
		title: string;
		number: number;
		sittingStatus: SittingStatus;
		currentItem: string | null;
		present: number;
		required: number;
		quorumMet: boolean;
		vote: null | { voteId: string; question: string; voted: number };
	};
	sittings: { today: number; term: number; closed: number; next: string | null };
	resolutions: { adopted: number; signed: number; issued: number };
	tasks: { onTime: number; overdue: number; done: number };
	petitions: { total: number; pending: number; answered: number };
	consultationsOpen: number;
}

interface RawRow {
	id: string;
	code: string;
	name: string;
	kind: CouncilKind;
	former_province: string | null;
	former_district: string | null;
	search_name: string;
	quorum_num: number;
	quorum_den: number;
	seated: number;
	live_id: string | null;
	live_title: string | null;
	live_number: number | null;
	live_status: SittingStatus | null;
	current_item: string | null;
	present: number;
	vote_id: string | null;
	vote_question: string | null;
	vote_voted: number | null;
	s_today: number;
	s_term: number;
	s_closed: number;
	s_next: Date | null;
	r_adopted: number;
	r_signed: number;
	r_issued: number;
	t_on_time: number;
	t_overdue: number;
	t_done: number;
	p_total: number;
	p_pending: number;
	p_answered: number;
	c_open: number;
}

function toRow(r: RawRow): MonitorRow {
	const seated = r.seated;
	const required = Math.ceil((seated * r.quorum_num) / r.quorum_den);
	const present = Math.min(r.present, seated);
	const live = r.live_id
		? {
				sittingId: r.live_id,
				title: r.live_title!,
				number: r.live_number!,
				sittingStatus: r.live_status!,
				currentItem: r.current_item,
				present,
				required,
				quorumMet: seated > 0 && present >= required,
				vote: r.vote_id ? { voteId: r.vote_id, question: r.vote_question!, voted: r.vote_voted ?? 0 } : null
			}
		: null;
	const status: LiveStatus = !live ? 'idle' : live.vote ? 'voting' : live.sittingStatus === 'in_progress' ? 'in_session' : 'convened';
	return {
		councilId: r.id,
		code: r.code,
		name: r.name,
		kind: r.kind,
		formerProvince: r.former_province,
		formerDistrict: r.former_district,
		searchName: r.search_name,
		seated,
		status,
		live,
		sittings: { today: r.s_today, term: r.s_term, closed: r.s_closed, next: r.s_next?.toISOString() ?? null },
		resolutions: { adopted: r.r_adopted, signed: r.r_signed, issued: r.r_issued },
		tasks: { onTime: r.t_on_time, overdue: r.t_overdue, done: r.t_done },
		petitions: { total: r.p_total, pending: r.p_pending, answered: r.p_answered },
		consultationsOpen: r.c_open
	};
}

/**
 * One row per council (all 169, or the given ones) with its live state and counts, in ONE aggregate query:
 * each table is read once and grouped by council, never once per council.
 */
export async function monitorOverview(db: Db, councilIds?: string[]): Promise<MonitorRow[]> {
	if (councilIds && councilIds.length === 0) return [];
	const ids = councilIds ? sql`${`{${councilIds.join(',')}}`}::uuid[]` : null;
	const only = (col: string): RawBuilder<unknown> => (ids ? sql`and ${sql.ref(col)} = any(${ids})` : sql``);
	const withResolutions = await resolutionsAvailable(db);
	const resolutions = withResolutions
		? sql`select council_id,
				count(*) filter (where status = 'adopted')::int as adopted,
				count(*) filter (where status = 'signed')::int as signed,
				count(*) filter (where status = 'issued')::int as issued
			from resolutions where true ${only('council_id')} group by council_id`
		: sql`select null::uuid as council_id, 0 as adopted, 0 as signed, 0 as issued where false`;

	const { rows } = await sql<RawRow>`
		with seated as (
			select council_id, count(*)::int as n from council_members
			where role = 'delegate' and active ${only('council_id')} group by council_id
		),
		live as (
			select distinct on (council_id) id, council_id, title, number, status, current_item_id from sittings
			where status in ('in_progress', 'convened') ${only('council_id')}
			order by council_id, (status = 'in_progress') desc, starts_at desc
		),
		present as (
			select l.id as sitting_id, count(*)::int as n from live l
			join attendance a on a.sitting_id = l.id and a.status in ('present_hall', 'present_remote')
			join council_members m on m.user_id = a.user_id and m.council_id = l.council_id and m.role = 'delegate' and m.active
			group by l.id
		),
		open_vote as (
			select v.sitting_id, v.id, v.question, v.ballots_cast from votes v join live l on l.id = v.sitting_id where v.status = 'open'
		),
		sit as (
			select council_id,
				count(*) filter (where (starts_at at time zone ${TZ})::date = (now() at time zone ${TZ})::date)::int as today,
				count(*) filter (where starts_at >= ${TERM_START}::timestamptz)::int as term,
				count(*) filter (where status = 'closed' and starts_at >= ${TERM_START}::timestamptz)::int as closed,
				min(starts_at) filter (where status <> 'closed' and starts_at >= now()) as next
			from sittings where true ${only('council_id')} group by council_id
		),
		res as (${resolutions}),
		tasks as (
			select council_id,
				count(*) filter (where status = 'open' and deadline > now())::int as on_time,
				count(*) filter (where status = 'open' and deadline <= now())::int as overdue,
				count(*) filter (where status = 'done')::int as done
			from followup_tasks where true ${only('council_id')} group by council_id
		),
		pet as (
			select council_id, count(*)::int as total,
				count(*) filter (where status in ('received', 'assigned'))::int as pending,
				count(*) filter (where status in ('answered', 'closed'))::int as answered
			from petitions where true ${only('council_id')} group by council_id
		),
		cons as (
			select council_id, count(*)::int as open from consultations
			where status = 'open' and deadline > now() ${only('council_id')} group by council_id
		)
		select c.id, c.code, c.name, c.kind, c.former_province, c.former_district, c.search_name, c.quorum_num, c.quorum_den,
			coalesce(se.n, 0) as seated,
			l.id as live_id, l.title as live_title, l.number as live_number, l.status as live_status,
			ai.title as current_item,
			coalesce(pr.n, 0) as present,
			ov.id as vote_id, ov.question as vote_question, ov.ballots_cast as vote_voted,
			coalesce(s.today, 0) as s_today, coalesce(s.term, 0) as s_term, coalesce(s.closed, 0) as s_closed, s.next as s_next,
			coalesce(r.adopted, 0) as r_adopted, coalesce(r.signed, 0) as r_signed, coalesce(r.issued, 0) as r_issued,
			coalesce(t.on_time, 0) as t_on_time, coalesce(t.overdue, 0) as t_overdue, coalesce(t.done, 0) as t_done,
			coalesce(p.total, 0) as p_total, coalesce(p.pending, 0) as p_pending, coalesce(p.answered, 0) as p_answered,
			coalesce(k.open, 0) as c_open
		from councils c
		left join seated se on se.council_id = c.id
		left join live l on l.council_id = c.id
		left join agenda_items ai on ai.id = l.current_item_id
		left join present pr on pr.sitting_id = l.id
		left join open_vote ov on ov.sitting_id = l.id
		left join sit s on s.council_id = c.id
		left join res r on r.council_id = c.id
		left join tasks t on t.council_id = c.id
		left join pet p on p.council_id = c.id
		left join cons k on k.council_id = c.id
		where true ${only('c.id')}
		order by (c.kind = 'city') desc, c.code`.execute(db);
	return rows.map(toRow);
}

export { totals } from '../../monitor/totals';
