import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import type { MediaConfig } from './config';
import { ReplayCache } from './replay-cache';
import { sourceName, type TrackSourceName } from './track-source';
import { parseRoomName, parseSiteIdentity, type RoomKind } from './rooms';

// LiveKit → app notifications (the lead mounts this at POST /api/livekit/webhook). They drive
// remote attendance and each ward site's status, so only genuine, fresh, first-time events
// are accepted: signature and body hash via WebhookReceiver, createdAt within 5 minutes,
// and the event id never seen before (in-memory LRU, plus the lead's persistent hook).

export const MAX_EVENT_AGE_SECONDS = 5 * 60;
/** LiveKit's clock may run slightly ahead of ours. */
const MAX_FUTURE_SKEW_SECONDS = 30;

interface EventBase {
	/** LiveKit's webhook event id (unique per event, reused on redelivery) */
	id: string;
	/** when LiveKit created the event */
	at: Date;
	room: string;
	/** parsed from the room name; null for rooms this app did not name */
	roomKind: RoomKind | null;
	roomId: string | null;
}
interface ParticipantRef {
	identity: string;
	name: string;
	/** commune code when the participant is a ward site (`site-<code>`), else null */
	siteCode: string | null;
}
export type MediaEvent =
	| (EventBase & { kind: 'participant_joined' | 'participant_left'; participant: ParticipantRef })
	| (EventBase & {
			kind: 'track_published' | 'track_unpublished';
			participant: ParticipantRef;
			track: { sid: string; source: TrackSourceName; muted: boolean };
	  })
	| (EventBase & { kind: 'room_finished' })
	/** any other genuine event (room_started, egress_*, …): acknowledge, nothing to do */
	| (EventBase & { kind: 'other'; type: string });

export type WebhookRejection =
	| 'unsigned'
	| 'bad_signature'
	| 'body_mismatch'
	| 'malformed'
	| 'missing_id'
	| 'stale'
	| 'replayed';

export type WebhookResult = { ok: true; event: MediaEvent } | { ok: false; status: 401; reason: WebhookRejection };

export interface WebhookOptions {
	/**
	 * Persistent replay check: return true if `id` was seen before, and remember it otherwise.
	 * If it throws, the error propagates (answer 5xx so LiveKit retries) and the id is not kept.
	 */
	seen?: (id: string) => boolean | Promise<boolean>;
	/** in-memory LRU size (default 10 000 ids) */
	cacheSize?: number;
	/** injectable clock for tests */
	now?: () => Date;
}

export type WebhookHandler = (rawBody: string, authHeader: string | null) => Promise<WebhookResult>;

export function createWebhookHandler(config: MediaConfig, options: WebhookOptions = {}): WebhookHandler {
	// Disabled video: every call is unauthenticated by definition (no secret to check against).
	const receiver = config.enabled ? new WebhookReceiver(config.apiKey, config.apiSecret) : null;
	const recent = new ReplayCache(options.cacheSize);
	const now = options.now ?? (() => new Date());
	const reject = (reason: WebhookRejection): WebhookResult => ({ ok: false, status: 401, reason });

	return async (rawBody, authHeader) => {
		// LiveKit sends the bare JWT in Authorization; tolerate a "Bearer " prefix from proxies.
		const token = authHeader?.replace(/^Bearer\s+/i, '').trim();
		if (!token) return reject('unsigned');
		if (!receiver) return reject('bad_signature');

		let event: WebhookEvent;
		try {
			event = await receiver.receive(rawBody, token);
		} catch (error) {
			return reject(classify(error));
		}

		if (!event.id) return reject('missing_id');
		const createdAt = Number(event.createdAt);
		const age = now().getTime() / 1000 - createdAt;
		if (!createdAt || age > MAX_EVENT_AGE_SECONDS || age < -MAX_FUTURE_SKEW_SECONDS) return reject('stale');

		// Mark before awaiting the hook so a concurrent redelivery of the same id is refused too.
		if (recent.has(event.id)) return reject('replayed');
		recent.add(event.id);
		try {
			if (options.seen && (await options.seen(event.id))) return reject('replayed');
		} catch (error) {
			recent.delete(event.id);
			throw error;
		}

		const mapped = toMediaEvent(event, new Date(createdAt * 1000));
		return mapped ? { ok: true, event: mapped } : reject('malformed');
	};
}

// WebhookReceiver throws plain errors; tell them apart so logs say what was wrong.
function classify(error: unknown): WebhookRejection {
	const e = error as { code?: unknown; message?: unknown };
	if (typeof e?.code === 'string' && e.code.startsWith('ERR_J')) return 'bad_signature'; // jose: JWS/JWT checks
	const message = typeof e?.message === 'string' ? e.message : '';
	if (/sha256/i.test(message)) return 'body_mismatch';
	if (/authorization/i.test(message)) return 'unsigned';
	// Signature and hash were fine, so the signed body itself is not a valid WebhookEvent.
	return 'malformed';
}

function toMediaEvent(event: WebhookEvent, at: Date): MediaEvent | null {
	const room = event.room?.name ?? '';
	const parsed = parseRoomName(room);
	const base: EventBase = { id: event.id, at, room, roomKind: parsed?.kind ?? null, roomId: parsed?.id ?? null };
	const p = event.participant;
	const participant: ParticipantRef | null = p?.identity
		? { identity: p.identity, name: p.name, siteCode: parseSiteIdentity(p.identity) }
		: null;

	switch (event.event) {
		case 'participant_joined':
		case 'participant_left':
			if (!room || !participant) return null;
			return { ...base, kind: event.event, participant };
		case 'track_published':
		case 'track_unpublished': {
			const t = event.track;
			if (!room || !participant || !t?.sid) return null;
			return { ...base, kind: event.event, participant, track: { sid: t.sid, source: sourceName(t.source), muted: t.muted } };
		}
		case 'room_finished':
			return room ? { ...base, kind: 'room_finished' } : null;
		default:
			return { ...base, kind: 'other', type: event.event };
	}
}
