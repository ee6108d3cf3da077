import type { Db } from '../../../../db/client.js';
import { roomName, siteIdentity, type MediaParticipant, type MediaRoomService } from '../../../../media/index';
import { getDb } from '../db';
import { log } from '../log';
import { mediaRooms } from './runtime';

/** The whole sync gives up after this long: a hung LiveKit must not hold the chair's floor.grant. */
const SYNC_BUDGET_MS = 5000;

/**
 * Makes LiveKit follow the floor: the speaker may publish their microphone, everyone else's is revoked.
 * Video is optional infrastructure: when it is not configured or unreachable the sitting goes on, so this
 * never throws. Called by floor.grant / floor.end after their transaction committed.
 *
 * Rooms: the sitting's own room, and every conference linked to the sitting that has not ended (a ward site
 * operator who raised their hand speaks there as `site-<code>`).
 */
export async function syncFloorToMedia(sittingId: string, speakerUserId: string | null, db: Db = getDb()): Promise<void> {
	const rooms = mediaRooms();
	if (!rooms) return;
	let timer: NodeJS.Timeout | undefined;
	try {
		await Promise.race([
			syncAll(db, rooms, sittingId, speakerUserId),
			new Promise<void>((_, reject) => {
				timer = setTimeout(() => reject(new Error(`floor sync took longer than ${SYNC_BUDGET_MS} ms`)), SYNC_BUDGET_MS);
			})
		]);
	} catch (err) {
		log.warn('video did not follow the floor; the sitting continues', { sittingId, speakerUserId, err });
	} finally {
		clearTimeout(timer);
	}
}

async function syncAll(db: Db, rooms: MediaRoomService, sittingId: string, speakerUserId: string | null): Promise<void> {
	const sitting = await db.selectFrom('sittings').select('council_id').where('id', '=', sittingId).executeTakeFirst();
	if (!sitting) return;
	const conferences = await db.selectFrom('conferences').select(['id', 'council_id']).where('sitting_id', '=', sittingId).where('status', '!=', 'ended').execute();
	const speaker = speakerUserId ? await speakerIdentities(db, speakerUserId) : [];
	const targets = [{ room: roomName('sitting', sittingId), councilId: sitting.council_id }, ...conferences.map((c) => ({ room: roomName('conference', c.id), councilId: c.council_id }))];
	// Each room on its own: one failing room does not keep the others from following the floor.
	const results = await Promise.allSettled(targets.map((t) => syncRoom(db, rooms, t.room, t.councilId, speaker)));
	results.forEach((result, i) => {
		if (result.status === 'rejected') log.warn('video room did not follow the floor', { room: targets[i].room, err: result.reason });
	});
	if (speakerUserId && conferences.length) {
		// The site that now speaks has had its turn: its raised hand is down.
		const sites = speaker.filter((id) => id.startsWith('site-')).map((id) => id.slice('site-'.length));
		if (sites.length) {
			await db
				.updateTable('conference_sites')
				.set({ hand_raised: false })
				.where('conference_id', 'in', conferences.map((c) => c.id))
				.where('council_id', 'in', db.selectFrom('councils').select('id').where('code', 'in', sites))
				.execute();
		}
	}
}

async function syncRoom(db: Db, rooms: MediaRoomService, room: string, councilId: string, speaker: string[]): Promise<void> {
	const participants = await rooms.listParticipants(room);
	if (participants.length === 0) return;
	const present = participants.find((p) => speaker.includes(p.identity));
	const others = await floorParticipants(db, councilId, participants);
	if (present) {
		await rooms.giveFloor(room, present.identity, others, participants);
		return;
	}
	// Nobody in this room holds the floor (ended, or the speaker is in the hall): every open microphone closes.
	const holding = participants.filter((p) => others.includes(p.identity) && p.canPublishMicrophone);
	for (const p of holding) await rooms.takeFloor(room, p.identity);
}

/** The identities a user speaks as: their account, and the site of each ward whose site they operate. */
async function speakerIdentities(db: Db, userId: string): Promise<string[]> {
	const sites = await db
		.selectFrom('council_members as m')
		.innerJoin('councils as c', 'c.id', 'm.council_id')
		.select('c.code')
		.where('m.user_id', '=', userId)
		.where('m.role', '=', 'site_operator')
		.where('m.active', '=', true)
		.execute();
	return [userId, ...sites.map((s) => siteIdentity(s.code))];
}

/** Identities in a room whose microphone follows the floor: sites, and the council's delegates (never the chair). */
export async function floorParticipants(db: Db, councilId: string, participants: MediaParticipant[]): Promise<string[]> {
	const sites = participants.filter((p) => p.identity.startsWith('site-')).map((p) => p.identity);
	const accounts = participants.map((p) => p.identity).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
	if (accounts.length === 0) return sites;
	const members = await db
		.selectFrom('council_members')
		.select(['user_id', 'role'])
		.where('council_id', '=', councilId)
		.where('user_id', 'in', accounts)
		.where('active', '=', true)
		.execute();
	const chairs = new Set(members.filter((m) => m.role === 'chair').map((m) => m.user_id));
	const delegates = members.filter((m) => m.role === 'delegate' && !chairs.has(m.user_id)).map((m) => m.user_id);
	return [...sites, ...new Set(delegates)];
}
