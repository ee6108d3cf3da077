import type { Db } from '../../../../db/client.js';
import { parseSiteIdentity, roomName, type MediaParticipant, type MediaRoomService } from '../../../../media/index';
import { log } from '../log';
import { mediaRooms } from './runtime';
import { applySiteState, type SitePatch } from './site-state';

/**
 * LiveKit's webhooks are best effort: it sends a room's events one at a time and drops those that waited 30 s
 * (a city-wide conference where 168 sites join within a minute can outrun a busy app). So each instance also
 * compares the stored state of every site of a live conference with LiveKit's own participant list, and applies
 * what differs as LiveKit knew it at that moment (a late webhook older than that is then ignored as stale).
 */
export async function reconcileLiveConferences(db: Db, rooms: MediaRoomService | null = mediaRooms()): Promise<number> {
	if (!rooms) return 0;
	const live = await db.selectFrom('conferences').select('id').where('status', '=', 'live').execute();
	let changed = 0;
	for (const { id } of live) {
		let participants: MediaParticipant[];
		const at = new Date();
		try {
			participants = await rooms.listParticipants(roomName('conference', id));
		} catch (err) {
			log.warn('video sites not reconciled: LiveKit did not answer', { conferenceId: id, err });
			continue;
		}
		const inRoom = new Map<string, MediaParticipant>();
		for (const p of participants) {
			const code = parseSiteIdentity(p.identity);
			if (code) inRoom.set(code, p);
		}
		const stored = await db
			.selectFrom('conference_sites as cs')
			.innerJoin('councils as c', 'c.id', 'cs.council_id')
			.select(['c.code', 'cs.status', 'cs.mic_published', 'cs.camera_published'])
			.where('cs.conference_id', '=', id)
			.execute();
		for (const site of stored) {
			const patch = truth(inRoom.get(site.code));
			if (patch.status === site.status && patch.mic_published === site.mic_published && patch.camera_published === site.camera_published) continue;
			const outcome = await db.transaction().execute((trx) => applySiteState(trx, { conferenceId: id, siteCode: site.code, patch, at, change: 'reconciled' }));
			if (outcome === 'site') changed++;
		}
	}
	return changed;
}

function truth(participant: MediaParticipant | undefined): SitePatch & { status: 'online' | 'offline'; mic_published: boolean; camera_published: boolean } {
	if (!participant) return { status: 'offline', mic_published: false, camera_published: false, hand_raised: false };
	return {
		status: 'online',
		mic_published: participant.tracks.some((t) => t.source === 'microphone'),
		camera_published: participant.tracks.some((t) => t.source === 'camera')
	};
}
