import type { Trx } from '../sittings/events';
import { appendEvent } from '../sittings/events';

// A ward site's stored state in a conference (online, microphone, camera, hand), changed by LiveKit's webhooks and
// by the reconciliation with LiveKit's own participant list. Both go through applySiteState: one place that orders
// the changes by LiveKit's time and records each real change on the linked sitting.

export interface SitePatch {
	status?: 'online' | 'offline';
	mic_published?: boolean;
	camera_published?: boolean;
	hand_raised?: boolean;
}

export async function markConferenceLive(trx: Trx, conferenceId: string): Promise<void> {
	await trx.updateTable('conferences').set({ status: 'live' }).where('id', '=', conferenceId).where('status', '=', 'scheduled').execute();
}

/**
 * Applies a site's new state as LiveKit knew it at `at`. A change older than the stored one is 'stale' (webhooks
 * arrive late and out of order); one that changes nothing only moves the time ('unchanged'); a real change is
 * stored and appended as 'site.status' to the linked sitting ('site'). Sites that were not invited: 'ignored'.
 */
export async function applySiteState(
	trx: Trx,
	change: { conferenceId: string; siteCode: string; patch: SitePatch; at: Date; change: string }
): Promise<'site' | 'unchanged' | 'stale' | 'ignored'> {
	const site = await trx
		.selectFrom('conference_sites as cs')
		.innerJoin('councils as c', 'c.id', 'cs.council_id')
		.innerJoin('conferences as f', 'f.id', 'cs.conference_id')
		.select(['cs.council_id', 'c.code', 'c.name', 'f.sitting_id', 'f.status as conference_status', 'cs.status', 'cs.mic_published', 'cs.camera_published', 'cs.hand_raised', 'cs.last_event_at'])
		.where('cs.conference_id', '=', change.conferenceId)
		.where('c.code', '=', change.siteCode)
		.forUpdate('cs')
		.executeTakeFirst();
	if (!site) return 'ignored'; // not invited: LiveKit let it in with a token we never issued for it
	if (site.last_event_at && site.last_event_at > change.at) return 'stale';
	const before = { status: site.status, mic_published: site.mic_published, camera_published: site.camera_published, hand_raised: site.hand_raised };
	const after = { ...before, ...change.patch };
	await trx
		.updateTable('conference_sites')
		.set({ ...after, last_event_at: change.at })
		.where('conference_id', '=', change.conferenceId)
		.where('council_id', '=', site.council_id)
		.execute();
	if ((Object.keys(after) as (keyof typeof after)[]).every((key) => after[key] === before[key])) return 'unchanged';
	if (after.status === 'online' && site.conference_status === 'scheduled') await markConferenceLive(trx, change.conferenceId);
	if (site.sitting_id) {
		const sitting = await trx.selectFrom('sittings').select('status').where('id', '=', site.sitting_id).forUpdate().executeTakeFirst();
		if (sitting && sitting.status !== 'closed') {
			await appendEvent(trx, site.sitting_id, 'site.status', {
				conferenceId: change.conferenceId,
				siteCode: site.code,
				siteName: site.name,
				change: change.change,
				online: after.status === 'online',
				micPublished: after.mic_published,
				cameraPublished: after.camera_published,
				handRaised: after.hand_raised
			});
		}
	}
	return 'site';
}
