import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { createWebhookHandler, MAX_EVENT_AGE_SECONDS, type MediaEvent, type WebhookHandler } from '../../../../media/index';
import { AppError } from '../api/errors';
import { log } from '../log';
import { setAttendance } from '../sittings/attendance';
import { appendEvent, type Trx } from '../sittings/events';
import { mediaConfig } from './runtime';

// LiveKit → app. Only genuine (signed, body hash checked), fresh and first-time events are applied; the ids of
// applied events are kept in media_webhook_events so a replay is refused by every instance, after restarts too.
// The id is stored in the same transaction as the change it caused: an event is applied exactly once, and an
// event whose processing failed (5xx) is not remembered, so LiveKit's retry still gets through.

let cached: { key: string; handler: WebhookHandler } | null = null;

function handlerFor(db: Db): WebhookHandler {
	const config = mediaConfig();
	const key = config.enabled ? `${config.apiKey}\n${config.apiSecret}` : '';
	if (cached?.key !== key) {
		cached = {
			key,
			handler: createWebhookHandler(config, {
				seen: async (id) => !!(await db.selectFrom('media_webhook_events').select('id').where('id', '=', id).executeTakeFirst())
			})
		};
	}
	return cached.handler;
}

export type WebhookOutcome = { status: 200; applied: string } | { status: 401; reason: string };

export async function receiveWebhook(db: Db, rawBody: string, authorization: string | null): Promise<WebhookOutcome> {
	const result = await handlerFor(db)(rawBody, authorization);
	if (!result.ok) {
		log.warn('livekit webhook refused', { reason: result.reason });
		return { status: 401, reason: result.reason };
	}
	const event = result.event;
	const applied = await db.transaction().execute(async (trx) => {
		// A concurrent delivery of the same id on another instance: exactly one insert wins.
		const fresh = await trx.insertInto('media_webhook_events').values({ id: event.id }).onConflict((oc) => oc.column('id').doNothing()).returning('id').executeTakeFirst();
		if (!fresh) return null;
		return apply(trx, event);
	});
	if (applied === null) return { status: 401, reason: 'replayed' };
	// Ids older than the freshness window are refused as stale anyway; keep the table small.
	if (Math.random() < 0.01) {
		await db
			.deleteFrom('media_webhook_events')
			.where('received_at', '<', sql<Date>`now() - make_interval(secs => ${MAX_EVENT_AGE_SECONDS * 4})`)
			.execute()
			.catch((err: unknown) => log.warn('webhook id pruning failed', { err }));
	}
	return { status: 200, applied };
}

async function apply(trx: Trx, event: MediaEvent): Promise<string> {
	if (!event.roomId || !/^[0-9a-f-]{36}$/i.test(event.roomId)) return 'ignored';
	if (event.kind === 'participant_joined' || event.kind === 'participant_left') {
		if (event.participant.siteCode) return event.roomKind === 'conference' ? siteEvent(trx, event.roomId, event) : 'ignored';
		if (event.roomKind === 'sitting') return remoteAttendance(trx, event.roomId, event.participant.identity, event.kind === 'participant_joined');
		if (event.roomKind === 'conference' && event.kind === 'participant_joined') return markLive(trx, event.roomId);
		return 'ignored';
	}
	if ((event.kind === 'track_published' || event.kind === 'track_unpublished') && event.participant.siteCode && event.roomKind === 'conference') {
		return siteEvent(trx, event.roomId, event);
	}
	return 'ignored';
}

/** A delegate who joins the sitting's video is present remotely; leaving it again makes them absent. */
async function remoteAttendance(trx: Trx, sittingId: string, userId: string, joined: boolean): Promise<string> {
	if (!/^[0-9a-f-]{36}$/i.test(userId)) return 'ignored';
	const current = await trx.selectFrom('attendance').select('status').where('sitting_id', '=', sittingId).where('user_id', '=', userId).executeTakeFirst();
	// Joined: someone already counted in the hall stays in the hall. Left: only a remote presence ends.
	if (joined ? current?.status === 'present_hall' || current?.status === 'present_remote' : current?.status !== 'present_remote') return 'unchanged';
	// A savepoint, so a refused change leaves the transaction (and the stored event id) usable.
	await sql`savepoint media_attendance`.execute(trx);
	try {
		await setAttendance(trx, { sittingId, userId, status: joined ? 'present_remote' : 'absent', by: null, source: 'video' });
		await sql`release savepoint media_attendance`.execute(trx);
		return joined ? 'present_remote' : 'absent';
	} catch (error) {
		// Not a delegate of this council, or the sitting is not open for check-in: nothing to record.
		if (error instanceof AppError) {
			await sql`rollback to savepoint media_attendance`.execute(trx);
			return 'ignored';
		}
		throw error;
	}
}

async function markLive(trx: Trx, conferenceId: string): Promise<string> {
	await trx.updateTable('conferences').set({ status: 'live' }).where('id', '=', conferenceId).where('status', '=', 'scheduled').execute();
	return 'conference';
}

type SiteMediaEvent = Extract<MediaEvent, { participant: unknown }>;

/** A ward site's state in the conference, and a 'site.status' event on the linked sitting. */
async function siteEvent(trx: Trx, conferenceId: string, event: SiteMediaEvent): Promise<string> {
	const site = await trx
		.selectFrom('conference_sites as cs')
		.innerJoin('councils as c', 'c.id', 'cs.council_id')
		.innerJoin('conferences as f', 'f.id', 'cs.conference_id')
		.select(['cs.council_id', 'c.code', 'c.name', 'f.sitting_id', 'f.status as conference_status'])
		.where('cs.conference_id', '=', conferenceId)
		.where('c.code', '=', event.participant.siteCode!)
		.executeTakeFirst();
	if (!site) return 'ignored'; // not invited: LiveKit let it in with a token we never issued for it
	const patch: { status?: 'online' | 'offline'; mic_published?: boolean; camera_published?: boolean; hand_raised?: boolean; last_event_at: Date } = {
		last_event_at: event.at
	};
	if (event.kind === 'participant_joined') patch.status = 'online';
	if (event.kind === 'participant_left') Object.assign(patch, { status: 'offline', mic_published: false, camera_published: false, hand_raised: false });
	if (event.kind === 'track_published' || event.kind === 'track_unpublished') {
		const on = event.kind === 'track_published';
		if (event.track.source === 'microphone') patch.mic_published = on;
		else if (event.track.source === 'camera') patch.camera_published = on;
		else return 'ignored';
		patch.status = 'online';
	}
	const updated = await trx
		.updateTable('conference_sites')
		.set(patch)
		.where('conference_id', '=', conferenceId)
		.where('council_id', '=', site.council_id)
		// Webhooks may arrive out of order: an older event never overwrites a newer state.
		.where((eb) => eb.or([eb('last_event_at', 'is', null), eb('last_event_at', '<=', event.at)]))
		.returning(['status', 'mic_published', 'camera_published', 'hand_raised'])
		.executeTakeFirst();
	if (!updated) return 'stale';
	if (event.kind === 'participant_joined' && site.conference_status === 'scheduled') await markLive(trx, conferenceId);
	if (site.sitting_id) {
		const sitting = await trx.selectFrom('sittings').select('status').where('id', '=', site.sitting_id).forUpdate().executeTakeFirst();
		if (sitting && sitting.status !== 'closed') {
			await appendEvent(trx, site.sitting_id, 'site.status', {
				conferenceId,
				siteCode: site.code,
				siteName: site.name,
				change: event.kind,
				online: updated.status === 'online',
				micPublished: updated.mic_published,
				cameraPublished: updated.camera_published,
				handRaised: updated.hand_raised
			});
		}
	}
	return 'site';
}

/** Drops the in-memory replay cache, as a restart does (tests; the stored ids still refuse replays). */
export function forgetWebhookHandler(): void {
	cached = null;
}
