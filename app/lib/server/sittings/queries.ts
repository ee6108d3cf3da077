import type { Db } from '../../../../db/client.js';
import { floorSnapshot } from './floor';
import { councilQuorum } from './state';

export async function sittingState(db: Db, sittingId: string) {
	const sitting = await db.selectFrom('sittings').selectAll().where('id', '=', sittingId).executeTakeFirstOrThrow();
	const [quorum, floor, openVote] = await Promise.all([
		councilQuorum(db, sitting.council_id, sittingId),
		floorSnapshot(db, sittingId),
		db.selectFrom('votes').select(['id', 'question', 'kind', 'ballots_cast', 'item_id', 'closes_at']).where('sitting_id', '=', sittingId).where('status', '=', 'open').executeTakeFirst()
	]);
	return {
		sittingId,
		councilId: sitting.council_id,
		status: sitting.status,
		seated: quorum.seated,
		present: quorum.present,
		required: quorum.required,
		quorumMet: quorum.met,
		currentItemId: sitting.current_item_id,
		floor,
		openVote: openVote
			? { voteId: openVote.id, question: openVote.question, kind: openVote.kind, itemId: openVote.item_id, voted: openVote.ballots_cast, closesAt: openVote.closes_at?.toISOString() ?? null }
			: null,
		lastEventId: Number(sitting.last_seq)
	};
}

export async function sittingDetail(db: Db, sittingId: string) {
	const sitting = await db
		.selectFrom('sittings as s')
		.innerJoin('councils as c', 'c.id', 's.council_id')
		.select(['s.id', 's.council_id', 'c.name as council_name', 'c.code as council_code', 'c.term_label', 's.kind', 's.number', 's.title', 's.starts_at', 's.ends_at', 's.venue', 's.hybrid', 's.status', 's.current_item_id', 's.head_hash'])
		.where('s.id', '=', sittingId)
		.executeTakeFirstOrThrow();
	const [agenda, documents, attendance, votes] = await Promise.all([
		db.selectFrom('agenda_items').select(['id', 'position', 'kind', 'title', 'presenter', 'planned_minutes']).where('sitting_id', '=', sittingId).orderBy('position').execute(),
		db.selectFrom('documents').select(['id', 'item_id', 'title', 'filename', 'size_bytes', 'sha256', 'uploaded_at']).where('sitting_id', '=', sittingId).orderBy('uploaded_at').execute(),
		db
			.selectFrom('council_members as m')
			.innerJoin('users as u', 'u.id', 'm.user_id')
			.leftJoin('attendance as a', (j) => j.onRef('a.user_id', '=', 'm.user_id').on('a.sitting_id', '=', sittingId))
			.select(['u.id as userId', 'u.full_name as fullName', 'u.username', 'a.status', 'a.reason'])
			.where('m.council_id', '=', sitting.council_id)
			.where('m.role', '=', 'delegate')
			.where('m.active', '=', true)
			.execute(),
		db.selectFrom('votes').select(['id', 'item_id', 'question', 'kind', 'ballot_type', 'status', 'ballots_cast', 'opened_at', 'closed_at', 'result', 'rule', 'options']).where('sitting_id', '=', sittingId).orderBy('opened_at').execute()
	]);
	const collator = new Intl.Collator('vi', { numeric: true });
	return {
		id: sitting.id,
		councilId: sitting.council_id,
		councilName: sitting.council_name,
		councilCode: sitting.council_code,
		termLabel: sitting.term_label,
		kind: sitting.kind,
		number: sitting.number,
		title: sitting.title,
		startsAt: sitting.starts_at.toISOString(),
		endsAt: sitting.ends_at?.toISOString() ?? null,
		venue: sitting.venue,
		hybrid: sitting.hybrid,
		status: sitting.status,
		currentItemId: sitting.current_item_id,
		chainHead: sitting.head_hash,
		agenda: agenda.map((a) => ({ id: a.id, position: a.position, kind: a.kind, title: a.title, presenter: a.presenter, plannedMinutes: a.planned_minutes })),
		documents: documents.map((d) => ({ id: d.id, itemId: d.item_id, title: d.title, filename: d.filename, sizeBytes: d.size_bytes, sha256: d.sha256, uploadedAt: d.uploaded_at.toISOString() })),
		attendance: attendance
			.sort((a, b) => collator.compare(a.username, b.username))
			.map((a) => ({ userId: a.userId, fullName: a.fullName, username: a.username, status: a.status ?? null, reason: a.reason ?? null })),
		votes: votes.map((v) => ({
			voteId: v.id,
			itemId: v.item_id,
			question: v.question,
			kind: v.kind,
			ballotType: v.ballot_type,
			status: v.status,
			voted: v.ballots_cast,
			openedAt: v.opened_at.toISOString(),
			closedAt: v.closed_at?.toISOString() ?? null,
			rule: v.rule,
			options: v.options,
			result: v.status === 'open' ? null : v.result
		}))
	};
}

export async function listSittings(db: Db, councilId: string) {
	const rows = await db
		.selectFrom('sittings')
		.select(['id', 'kind', 'number', 'title', 'starts_at', 'status', 'venue', 'hybrid'])
		.where('council_id', '=', councilId)
		.orderBy('starts_at', 'desc')
		.execute();
	return rows.map((r) => ({ id: r.id, kind: r.kind, number: r.number, title: r.title, startsAt: r.starts_at.toISOString(), status: r.status, venue: r.venue, hybrid: r.hybrid }));
}

/** Sittings of the caller's councils that are not closed, soonest first (home page). */
export async function upcomingSittings(db: Db, councilIds: string[]) {
	if (councilIds.length === 0) return [];
	const rows = await db
		.selectFrom('sittings as s')
		.innerJoin('councils as c', 'c.id', 's.council_id')
		.select(['s.id', 's.title', 's.number', 's.starts_at', 's.status', 'c.name as council_name', 's.council_id'])
		.where('s.council_id', 'in', councilIds)
		.where('s.status', '!=', 'closed')
		.orderBy('s.starts_at')
		.limit(20)
		.execute();
	return rows.map((r) => ({ id: r.id, title: r.title, number: r.number, startsAt: r.starts_at.toISOString(), status: r.status, councilName: r.council_name, councilId: r.council_id }));
}
