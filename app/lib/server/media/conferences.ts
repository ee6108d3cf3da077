import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import type { SiteConnectionQuality } from '../../../../db/schema.js';
import { isMediaError, roomName, siteIdentity } from '../../../../media/index';
import { AppError } from '../errors';
import type { AuthUser } from '../auth/current-user';
import { hasCityRole } from '../auth/current-user';
import { log } from '../log';
import { grantFloor, requestFloor, withdrawFloor } from '../sittings/floor-service';
import { floorParticipants, syncFloorToMedia } from './floor-sync';
import { asAppError, mediaCall, mediaRooms, requireMediaRooms } from './runtime';

// City-wide conferences: the organising council (normally the city) links up to 168 ward sites, each joining
// as one participant `site-<code>`. The database keeps the invitation list and each site's last known state
// (from LiveKit's webhooks), so the chair's console works even before anyone has joined.

/** LiveKit room limits for a conference: 168 sites, the city's officers and delegates, some headroom. */
const CONFERENCE_MAX_PARTICIPANTS = 400;
const CONFERENCE_EMPTY_TIMEOUT_SEC = 30 * 60;

export async function createConference(
	db: Db,
	input: { councilId: string; title: string; sittingId?: string; siteCodes?: string[]; createdBy: string }
) {
	if (input.sittingId) {
		const sitting = await db.selectFrom('sittings').select('council_id').where('id', '=', input.sittingId).executeTakeFirst();
		if (!sitting || sitting.council_id !== input.councilId) throw new AppError('BAD_REQUEST', 'media.conference.sittingOfOtherCouncil');
	}
	let sites = db.selectFrom('councils').select(['id', 'code']).where('id', '!=', input.councilId).where('kind', '!=', 'city');
	const codes = input.siteCodes ? [...new Set(input.siteCodes)] : null;
	if (codes) sites = sites.where('code', 'in', codes.length ? codes : ['']);
	const invited = await sites.orderBy('code').execute();
	if (codes) {
		const known = new Set(invited.map((s) => s.code));
		const unknown = codes.filter((c) => !known.has(c));
		if (unknown.length) throw new AppError('BAD_REQUEST', 'media.conference.unknownSites', { codes: unknown.slice(0, 10).join(', ') });
	}
	const conference = await db.transaction().execute(async (trx) => {
		const row = await trx
			.insertInto('conferences')
			.values({ council_id: input.councilId, sitting_id: input.sittingId ?? null, title: input.title, created_by: input.createdBy })
			.returning(['id', 'created_at'])
			.executeTakeFirstOrThrow();
		if (invited.length) {
			await trx
				.insertInto('conference_sites')
				.values(invited.map((s) => ({ conference_id: row.id, council_id: s.id, last_event_at: null })))
				.execute();
		}
		await trx
			.insertInto('audit_log')
			.values({ user_id: input.createdBy, council_id: input.councilId, action: 'conference.create', details: JSON.stringify({ conferenceId: row.id, sites: invited.length }) })
			.execute();
		return row;
	});
	// Create the room ahead of time with its limits; best effort (it is created on first join anyway).
	const rooms = mediaRooms();
	if (rooms) {
		await rooms
			.ensureRoom(roomName('conference', conference.id), { maxParticipants: CONFERENCE_MAX_PARTICIPANTS, emptyTimeout: CONFERENCE_EMPTY_TIMEOUT_SEC })
			.catch((err: unknown) => log.warn('conference room not created in advance', { conferenceId: conference.id, err }));
	}
	return { conferenceId: conference.id, sites: invited.length };
}

export async function conferenceDetail(db: Db, conferenceId: string, user: AuthUser) {
	const row = await db
		.selectFrom('conferences as f')
		.innerJoin('councils as c', 'c.id', 'f.council_id')
		.leftJoin('sittings as s', 's.id', 'f.sitting_id')
		.select(['f.id', 'f.title', 'f.status', 'f.council_id', 'c.name as council_name', 'f.sitting_id', 's.title as sitting_title', 'f.created_at'])
		.where('f.id', '=', conferenceId)
		.executeTakeFirst();
	if (!row) throw new AppError('NOT_FOUND', 'media.conference.notFound');
	const [counts, chair] = await Promise.all([
		db
			.selectFrom('conference_sites')
			.select([sql<number>`count(*)::int`.as('total'), sql<number>`count(*) filter (where status = 'online')::int`.as('online')])
			.where('conference_id', '=', conferenceId)
			.executeTakeFirstOrThrow(),
		db
			.selectFrom('council_members')
			.select('user_id')
			.where('council_id', '=', row.council_id)
			.where('role', '=', 'chair')
			.where('active', '=', true)
			.orderBy('created_at')
			.executeTakeFirst()
	]);
	// The caller's own site in this conference, when they operate an invited ward.
	const operated = user.councils.filter((c) => c.roles.includes('site_operator')).map((c) => c.councilId);
	const mySite = operated.length
		? await db
				.selectFrom('conference_sites as cs')
				.innerJoin('councils as c', 'c.id', 'cs.council_id')
				.select(['c.code', 'c.name', 'cs.hand_raised'])
				.where('cs.conference_id', '=', conferenceId)
				.where('cs.council_id', 'in', operated)
				.orderBy('c.code')
				.executeTakeFirst()
		: undefined;
	const speaker = row.sitting_id ? await currentSpeakerIdentity(db, row.sitting_id) : null;
	return {
		id: row.id,
		title: row.title,
		status: row.status,
		councilId: row.council_id,
		councilName: row.council_name,
		sittingId: row.sitting_id,
		sittingTitle: row.sitting_title,
		createdAt: row.created_at.toISOString(),
		sites: counts.total,
		online: counts.online,
		chairIdentity: chair?.user_id ?? null,
		speakerIdentity: speaker,
		mySite: mySite ? { code: mySite.code, name: mySite.name, identity: siteIdentity(mySite.code), handRaised: mySite.hand_raised } : null
	};
}

/** The LiveKit identity of whoever speaks on the sitting's floor: a site operator speaks as their site. */
async function currentSpeakerIdentity(db: Db, sittingId: string): Promise<string | null> {
	const speaker = await db.selectFrom('floor_requests').select('user_id').where('sitting_id', '=', sittingId).where('status', '=', 'speaking').executeTakeFirst();
	if (!speaker) return null;
	const site = await db
		.selectFrom('council_members as m')
		.innerJoin('councils as c', 'c.id', 'm.council_id')
		.select('c.code')
		.where('m.user_id', '=', speaker.user_id)
		.where('m.role', '=', 'site_operator')
		.where('m.active', '=', true)
		.executeTakeFirst();
	return site ? siteIdentity(site.code) : speaker.user_id;
}

/** Conferences the caller may see: of their councils, all for monitor/admin, and those inviting their site. */
export async function listConferences(db: Db, user: AuthUser) {
	const all = hasCityRole(user, 'monitor', 'admin');
	const councils = user.councils.map((c) => c.councilId);
	const operated = user.councils.filter((c) => c.roles.includes('site_operator')).map((c) => c.councilId);
	if (!all && councils.length === 0) return [];
	const rows = await db
		.selectFrom('conferences as f')
		.innerJoin('councils as c', 'c.id', 'f.council_id')
		.select((eb) => [
			'f.id',
			'f.title',
			'f.status',
			'f.council_id',
			'c.name as council_name',
			'f.sitting_id',
			'f.created_at',
			eb.selectFrom('conference_sites as cs').select(sql<number>`count(*)::int`.as('n')).whereRef('cs.conference_id', '=', 'f.id').as('sites'),
			eb
				.selectFrom('conference_sites as cs')
				.select(sql<number>`count(*)::int`.as('n'))
				.whereRef('cs.conference_id', '=', 'f.id')
				.where('cs.status', '=', 'online')
				.as('online'),
			(operated.length
				? eb
						.selectFrom('conference_sites as cs')
						.innerJoin('councils as sc', 'sc.id', 'cs.council_id')
						.select('sc.code')
						.whereRef('cs.conference_id', '=', 'f.id')
						.where('cs.council_id', 'in', operated)
						.limit(1)
				: eb.selectFrom('councils').select(sql<string | null>`null::text`.as('code')).limit(1)
			).as('my_site_code')
		])
		.$if(!all, (qb) =>
			qb.where((eb) =>
				eb.or([
					eb('f.council_id', 'in', councils),
					...(operated.length
						? [eb.exists(eb.selectFrom('conference_sites as cs').select('cs.council_id').whereRef('cs.conference_id', '=', 'f.id').where('cs.council_id', 'in', operated))]
						: [])
				])
			)
		)
		.orderBy('f.created_at', 'desc')
		.limit(200)
		.execute();
	return rows.map((r) => ({
		id: r.id,
		title: r.title,
		status: r.status,
		councilId: r.council_id,
		councilName: r.council_name,
		sittingId: r.sitting_id,
		createdAt: r.created_at.toISOString(),
		sites: r.sites ?? 0,
		online: r.online ?? 0,
		mySiteCode: r.my_site_code ?? null
	}));
}

export interface SiteRow {
	code: string;
	name: string;
	identity: string;
	status: 'online' | 'offline';
	micPublished: boolean;
	cameraPublished: boolean;
	connectionQuality: SiteConnectionQuality;
	handRaised: boolean;
	lastEventAt: string | null;
	problems: ('offline' | 'poorConnection' | 'noCamera')[];
}

const collator = new Intl.Collator('vi', { numeric: true });

/** The invited sites with their last known state, paged; `problemsOnly` keeps offline, weak or camera-less ones. */
export async function conferenceSites(db: Db, input: { conferenceId: string; page?: number; perPage?: number; problemsOnly?: boolean }) {
	const rows = await db
		.selectFrom('conference_sites as cs')
		.innerJoin('councils as c', 'c.id', 'cs.council_id')
		.select(['c.code', 'c.name', 'cs.status', 'cs.mic_published', 'cs.camera_published', 'cs.connection_quality', 'cs.hand_raised', 'cs.last_event_at'])
		.where('cs.conference_id', '=', input.conferenceId)
		.execute();
	const all: SiteRow[] = rows
		.map((r) => {
			const problems: SiteRow['problems'] = [];
			if (r.status !== 'online') problems.push('offline');
			else {
				if (r.connection_quality === 'poor' || r.connection_quality === 'lost') problems.push('poorConnection');
				if (!r.camera_published) problems.push('noCamera');
			}
			return {
				code: r.code,
				name: r.name,
				identity: siteIdentity(r.code),
				status: r.status,
				micPublished: r.mic_published,
				cameraPublished: r.camera_published,
				connectionQuality: r.connection_quality,
				handRaised: r.hand_raised,
				lastEventAt: r.last_event_at?.toISOString() ?? null,
				problems
			};
		})
		.sort((a, b) => Number(b.handRaised) - Number(a.handRaised) || collator.compare(a.name, b.name));
	const shown = input.problemsOnly ? all.filter((s) => s.problems.length > 0) : all;
	const perPage = input.perPage ?? 24;
	const pageCount = Math.max(1, Math.ceil(shown.length / perPage));
	const page = Math.min(pageCount, Math.max(1, input.page ?? 1));
	return {
		items: shown.slice((page - 1) * perPage, page * perPage),
		page,
		pageCount,
		perPage,
		total: shown.length,
		invited: all.length,
		online: all.filter((s) => s.status === 'online').length
	};
}

async function liveConference(db: Db, conferenceId: string) {
	const conference = await db.selectFrom('conferences').select(['id', 'status', 'sitting_id', 'council_id']).where('id', '=', conferenceId).executeTakeFirst();
	if (!conference) throw new AppError('NOT_FOUND', 'media.conference.notFound');
	if (conference.status === 'ended') throw new AppError('CONFLICT', 'media.conference.ended');
	return conference;
}

async function invitedSite(db: Db, conferenceId: string, by: { siteCode?: string; councilId?: string }) {
	let query = db
		.selectFrom('conference_sites as cs')
		.innerJoin('councils as c', 'c.id', 'cs.council_id')
		.select(['c.id', 'c.code', 'c.name'])
		.where('cs.conference_id', '=', conferenceId);
	if (by.siteCode) query = query.where('c.code', '=', by.siteCode);
	if (by.councilId) query = query.where('c.id', '=', by.councilId);
	const site = await query.executeTakeFirst();
	if (!site) throw new AppError('NOT_FOUND', 'media.conference.siteNotInvited');
	return site;
}

/**
 * A ward site raises (or lowers) its hand. With a linked sitting the site operator enters (or leaves) the
 * sitting's floor queue exactly as a delegate does, so the chair sees one queue for the hall and the sites.
 */
export async function raiseHand(db: Db, input: { conferenceId: string; siteCouncilId: string; userId: string; raised: boolean }) {
	const conference = await liveConference(db, input.conferenceId);
	const site = await invitedSite(db, input.conferenceId, { councilId: input.siteCouncilId });
	let requestId: string | null = null;
	if (conference.sitting_id) {
		const open = await db
			.selectFrom('floor_requests')
			.select(['id', 'status'])
			.where('sitting_id', '=', conference.sitting_id)
			.where('user_id', '=', input.userId)
			.where('status', 'in', ['queued', 'speaking'])
			.executeTakeFirst();
		if (input.raised) {
			requestId = open?.id ?? (await requestFloor(db, { sittingId: conference.sitting_id, userId: input.userId, kind: 'speech', mustBeCheckedIn: false })).requestId;
		} else if (open?.status === 'queued') {
			await withdrawFloor(db, { requestId: open.id, userId: input.userId });
		}
	}
	await db
		.updateTable('conference_sites')
		.set({ hand_raised: input.raised, last_event_at: new Date() })
		.where('conference_id', '=', input.conferenceId)
		.where('council_id', '=', site.id)
		.execute();
	// The raised hand also shows on the site's tile in every browser; video being down changes nothing here.
	const rooms = mediaRooms();
	if (rooms) {
		await rooms
			.setHandRaised(roomName('conference', input.conferenceId), siteIdentity(site.code), input.raised)
			.catch((err: unknown) => log.info('hand not mirrored to the video room', { conferenceId: input.conferenceId, site: site.code, err }));
	}
	return { raised: input.raised, requestId };
}

/**
 * The chair gives a site the floor. When the site waits in the linked sitting's queue, the floor is granted
 * there (and video follows it); otherwise only the video room changes: the site's microphone opens and every
 * other site's and delegate's closes.
 */
export async function giveFloorToSite(db: Db, input: { conferenceId: string; siteCode: string }) {
	const rooms = requireMediaRooms();
	const room = roomName('conference', input.conferenceId);
	// The room's list is asked for at once, beside the database's answers; only the search for anyone else who may
	// still speak waits for it (the handover itself leaves as soon as the checks pass).
	const listing = mediaCall(() => rooms.listParticipants(room));
	listing.catch(() => {}); // awaited below unless the checks refuse first
	const [conference, site] = await Promise.all([liveConference(db, input.conferenceId), invitedSite(db, input.conferenceId, { siteCode: input.siteCode })]);
	if (conference.sitting_id) {
		const queued = await db
			.selectFrom('floor_requests as f')
			.innerJoin('council_members as m', (j) => j.onRef('m.user_id', '=', 'f.user_id').on('m.council_id', '=', site.id).on('m.role', '=', 'site_operator'))
			.select('f.id')
			.where('f.sitting_id', '=', conference.sitting_id)
			.where('f.status', '=', 'queued')
			.executeTakeFirst();
		if (queued) {
			const granted = await grantFloor(db, { requestId: queued.id });
			await syncFloorToMedia(granted.sittingId, granted.speakerUserId);
			return { identity: siteIdentity(site.code), viaQueue: true, revoked: [] as string[] };
		}
	}
	const identity = siteIdentity(site.code);
	// The handover leaves before the room's list is back (MediaRoomService.handOverToSite says why); LiveKit refuses
	// it for a site that is not in the room, and nothing has changed then.
	const revokedFirst = await rooms.handOverToSite(room, identity).catch((error: unknown) => {
		if (isMediaError(error, 'NOT_FOUND')) throw new AppError('CONFLICT', 'media.conference.siteOffline', { code: site.name });
		throw asAppError(error);
	});
	const participants = await listing;
	const others = await floorParticipants(db, conference.council_id, participants);
	const change = await mediaCall(() => rooms.revokeFloor(room, identity, others, participants, revokedFirst));
	await db.updateTable('conference_sites').set({ hand_raised: false }).where('conference_id', '=', input.conferenceId).where('council_id', '=', site.id).execute();
	return { identity, viaQueue: false, revoked: change.revoked };
}

export async function muteAllSites(db: Db, input: { conferenceId: string; except: string[] }) {
	await liveConference(db, input.conferenceId);
	const rooms = requireMediaRooms();
	return mediaCall(() => rooms.muteAll(roomName('conference', input.conferenceId), { except: input.except }));
}

export async function removeSite(db: Db, input: { conferenceId: string; siteCode: string }) {
	await liveConference(db, input.conferenceId);
	const site = await invitedSite(db, input.conferenceId, { siteCode: input.siteCode });
	const rooms = requireMediaRooms();
	await mediaCall(() => rooms.remove(roomName('conference', input.conferenceId), siteIdentity(site.code)));
	await db
		.updateTable('conference_sites')
		.set({ status: 'offline', mic_published: false, camera_published: false, hand_raised: false, last_event_at: new Date() })
		.where('conference_id', '=', input.conferenceId)
		.where('council_id', '=', site.id)
		.execute();
	return { removed: siteIdentity(site.code) };
}

export async function endConference(db: Db, input: { conferenceId: string; userId: string }) {
	const conference = await liveConference(db, input.conferenceId);
	await db.updateTable('conferences').set({ status: 'ended' }).where('id', '=', input.conferenceId).execute();
	await db
		.insertInto('audit_log')
		.values({ user_id: input.userId, council_id: conference.council_id, action: 'conference.end', details: JSON.stringify({ conferenceId: input.conferenceId }) })
		.execute();
	return { status: 'ended' as const };
}
