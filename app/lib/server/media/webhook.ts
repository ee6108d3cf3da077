import { sql } from 'kysely';
import type { Db } from '../../../../db/client.js';
import { createWebhookHandler, MAX_EVENT_AGE_SECONDS, type MediaEvent, type WebhookHandler } from '../../../../media/index';
import { AppError } from '../errors';
import { log } from '../log';
import { setAttendance } from '../sittings/attendance';
import { applySiteState, markConferenceLive, type SitePatch } from './site-state';
import type { Trx } from '../sittings/events';
import { mediaConfig, mediaRooms } from './runtime';

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
	if (event.kind === 'track_published' && event.track.source === 'microphone') {
		// A handover waiting for this microphone revokes the previous speaker now (MediaRoomService.handOverToSite;
		// any other microphone finds none waiting); LiveKit's answer does not wait for it.
		mediaRooms()
			?.microphonePublished(event.room, event.participant.identity)
			.catch((err: unknown) => log.warn('revoking the previous speaker failed', { err, room: event.room }));
	}
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
	await markConferenceLive(trx, conferenceId);
	return 'conference';
}

type SiteMediaEvent = Extract<MediaEvent, { participant: unknown }>;

/** A webhook about a ward site, as a change of its stored state. */
function siteEvent(trx: Trx, conferenceId: string, event: SiteMediaEvent): Promise<string> {
	let patch: SitePatch;
	if (event.kind === 'participant_joined') patch = { status: 'online' };
	else if (event.kind === 'participant_left') patch = { status: 'offline', mic_published: false, camera_published: false, hand_raised: false };
	else if (event.kind === 'track_published' || event.kind === 'track_unpublished') {
		const on = event.kind === 'track_published';
		if (event.track.source === 'microphone') patch = { status: 'online', mic_published: on };
		else if (event.track.source === 'camera') patch = { status: 'online', camera_published: on };
		else return Promise.resolve('ignored');
	} else return Promise.resolve('ignored');
	return applySiteState(trx, { conferenceId, siteCode: event.participant.siteCode!, patch, at: event.at, change: event.kind });
}

/** Drops the in-memory replay cache, as a restart does (tests; the stored ids still refuse replays). */
export function forgetWebhookHandler(): void {
	cached = null;
}
