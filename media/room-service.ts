import { RoomServiceClient, TrackSource, type ParticipantInfo } from 'livekit-server-sdk';
import { httpUrl, type MediaConfig } from './config';
import { MediaError, isMediaError } from './errors';
import { permissionFor } from './grants';
import { sourceName, type TrackSourceName } from './track-source';

// Server-side control of LiveKit rooms for the chair/host: create conference rooms, give and
// take the floor, mute, remove. Every failure becomes a MediaError with a code, and calls time
// out quickly, so a LiveKit outage degrades video only — the sitting and voting carry on.

export const DEFAULT_TIMEOUT_MS = 3000;
/** Parallel permission updates when revoking the floor from up to 168 sites. */
const CONCURRENCY = 16;
/** Participant attribute the kiosk's "raise hand" sets (server-side, see setHandRaised). */
export const HAND_RAISED_ATTRIBUTE = 'handRaised';
/**
 * Participant attribute that marks who holds the floor, set right after the microphone permission (setFloor): every
 * participant sees it, including a client that has no permission event of its own (@livekit/rtc-node, the
 * benchmark's and tests' sites), and when it comes the permission is there.
 */
export const FLOOR_ATTRIBUTE = 'floor';

export interface MediaParticipant {
	identity: string;
	name: string;
	sid: string;
	joinedAt: Date | null;
	metadata: string;
	attributes: Record<string, string>;
	handRaised: boolean;
	/** may publish its microphone right now (holds the floor, or is chair/host) */
	canPublishMicrophone: boolean;
	tracks: { sid: string; source: TrackSourceName; muted: boolean }[];
}

export interface FloorChange {
	granted: string;
	/** identities whose microphone permission was revoked */
	revoked: string[];
	/** identities not in the room (offline): nothing to revoke */
	absent: string[];
	/** identities whose still-open microphone track was muted as well */
	muted: string[];
}

export interface RoomServiceOptions {
	timeoutMs?: number;
	/** injectable for tests; normally built from the config */
	client?: RoomServiceClient;
	/** the longest a muted previous speaker keeps its permission in a handover (handOverToSite) */
	revokeWithinMs?: number;
}

/** See handOverToSite: the new speaker's microphone is normally out well before this. */
export const HANDOVER_REVOKE_WITHIN_MS = 2000;

export class MediaRoomService {
	private readonly client: RoomServiceClient | null;
	/**
	 * The site this service last handed the floor to, per room (handOverToSite). A restarted process has forgotten
	 * it; the room's list (revokeFloor) still finds every open microphone.
	 */
	private readonly siteFloor = new Map<string, string>();
	/** A handover whose previous speaker is muted and not yet revoked, per room (handOverToSite). */
	private readonly passingFloor = new Map<string, { previous: string; next: string; timer: NodeJS.Timeout }>();
	private readonly revokeWithinMs: number;

	constructor(config: MediaConfig, options: RoomServiceOptions = {}) {
		const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
		this.revokeWithinMs = options.revokeWithinMs ?? HANDOVER_REVOKE_WITHIN_MS;
		this.client =
			options.client ??
			(config.enabled
				? new RoomServiceClient(httpUrl(config.apiUrl ?? config.url), config.apiKey, config.apiSecret, {
						requestTimeout: timeoutMs / 1000,
						// Region failover only applies to LiveKit Cloud and multiplies the wait on outage.
						failover: false
					})
				: null);
	}

	get enabled(): boolean {
		return this.client !== null;
	}

	/** Create the room if missing (LiveKit's CreateRoom is idempotent). Used for conferences. */
	async ensureRoom(
		name: string,
		options: { maxParticipants: number; emptyTimeout: number; metadata?: string }
	): Promise<{ name: string; sid: string }> {
		const room = await this.call((c) =>
			c.createRoom({
				name,
				maxParticipants: options.maxParticipants,
				emptyTimeout: options.emptyTimeout,
				metadata: options.metadata
			})
		);
		return { name: room.name, sid: room.sid };
	}

	/**
	 * Give the floor to `identity`: allow it to publish its microphone, and revoke the microphone from those of
	 * `others` who may publish it now (muting one of theirs still open). See grantFloor and revokeFloor.
	 */
	async giveFloor(room: string, identity: string, others: string[], participants?: MediaParticipant[]): Promise<FloorChange> {
		const granted = this.grantFloor(room, identity);
		granted.catch(() => {}); // awaited below, after the revocation
		const change = await this.revokeFloor(room, identity, others, participants);
		await granted;
		return change;
	}

	/**
	 * Allow `identity` to publish its microphone, and mark it as holding the floor. A caller giving the floor sends
	 * this first, before it has even listed the room: the new speaker's way is the long one (the grant reaches it, it
	 * publishes, every listener subscribes), the previous speaker's a single revocation that lands long before the
	 * new microphone can be heard, so two speakers still never overlap. A site given the floor back while it is
	 * still muted from the last handover is revoked first: its muted microphone closes, and the grant opens a new one.
	 */
	async grantFloor(room: string, identity: string): Promise<void> {
		const client = this.require();
		if (this.passingFloor.get(room)?.previous === identity) await this.completeHandover(room);
		await this.setFloor(client, room, identity, true);
	}

	/**
	 * A conference's handover to a site: grant it the floor and, once LiveKit has it (a site not in the room is
	 * refused with NOT_FOUND and nothing changes), mute the site this service last handed the floor to in that room;
	 * its permission is revoked once the new speaker's microphone is out (microphonePublished) or `revokeWithinMs`
	 * later at the latest. Why not revoke at once: LiveKit closes a revoked microphone by sending each listener 0.2 s
	 * of silence and then taking it out of the listener's connection, a renegotiation, which under load met the one
	 * bringing in the new speaker, so the chair's connection renegotiated twice before it heard the new site
	 * (bench:conference runs both ways alternately and reports each). A mute stops the previous microphone at
	 * LiveKit for every listener at once and closes nothing. The cost, in docs/security.md: for that short while a
	 * tampered client of the previous site could unmute itself. This does not wait for the room's list either, which for 168 sites is
	 * slow to come back under load. Resolves to the identities handled here; revokeFloor then looks for any other.
	 * Only for sites: a site never holds more than the floor's permission, so the revocation takes nothing else.
	 */
	async handOverToSite(room: string, identity: string, options: { revokeAtOnce?: boolean } = {}): Promise<string[]> {
		// One handover at a time per room: one still passing (its new speaker not out yet) ends first.
		await this.completeHandover(room);
		const previous = this.siteFloor.get(room);
		if (!previous || previous === identity || options.revokeAtOnce) {
			// (revokeAtOnce: the handover as it was before the mute, which bench:conference compares with this one)
			await this.grantFloor(room, identity);
			this.siteFloor.set(room, identity);
			if (!previous || previous === identity) return [];
			return (await this.revokeOne(room, previous)) ? [previous] : []; // (or it left the room meanwhile)
		}
		// Registered before the grant: the new microphone's webhook can come back before the grant's call does.
		const passing = { previous, next: identity, timer: setTimeout(() => void this.completeHandover(room).catch(() => {}), this.revokeWithinMs) };
		passing.timer.unref();
		this.passingFloor.set(room, passing);
		// (read beside the grant: the mute then follows the grant by one call less)
		const previousNow = this.getParticipant(room, previous);
		previousNow.catch(() => {}); // awaited below, unless the grant is refused
		try {
			await this.grantFloor(room, identity);
		} catch (error) {
			clearTimeout(passing.timer);
			if (this.passingFloor.get(room) === passing) this.passingFloor.delete(room);
			throw error;
		}
		this.siteFloor.set(room, identity);
		const info = await previousNow;
		if (this.passingFloor.get(room) !== passing) return [previous]; // the new microphone came out first: revoked
		// No microphone of its own to close (not opened yet, or closed; or it left): nothing to wait for, and a
		// microphone it is still opening must find the permission gone.
		if (!info?.tracks.some((t) => t.source === TrackSource.MICROPHONE)) {
			await this.completeHandover(room);
			return info ? [previous] : [];
		}
		await this.muteTracks(room, openMicrophones(info));
		return [previous];
	}

	/**
	 * LiveKit reports (webhook) that `identity` published its microphone: a handover waiting for it revokes the
	 * previous speaker now. A failure leaves the handover passing; the next one, or the deadline, retries.
	 */
	async microphonePublished(room: string, identity: string): Promise<void> {
		if (this.passingFloor.get(room)?.next === identity) await this.completeHandover(room);
	}

	/** Revoke the muted previous speaker of a handover still passing in `room`, if any. */
	private async completeHandover(room: string): Promise<void> {
		const passing = this.passingFloor.get(room);
		if (!passing) return;
		clearTimeout(passing.timer);
		await this.revokeOne(room, passing.previous);
		if (this.passingFloor.get(room) === passing) this.passingFloor.delete(room);
	}

	/**
	 * Revoke the microphone from those of `others` who may publish it now, and mute one of theirs still open. Only
	 * participants the server lists with that right are changed: in a conference of 168 sites that is the previous
	 * speaker, not 167 calls. `participants` is the room's list when the caller has just read it (one listing of a
	 * large room less). `identity`, the new speaker, is left alone.
	 * `others` must be delegate/site identities only — never the chair: LiveKit replaces the whole permission, so a
	 * chair passed here would be reduced to camera-only. `revokedAlready` (handOverToSite's answer) are not revoked
	 * again, though a list read before that revocation still shows them allowed; an open microphone of theirs in
	 * the list is muted all the same.
	 */
	async revokeFloor(room: string, identity: string, others: string[], participants?: MediaParticipant[], revokedAlready: string[] = []): Promise<FloorChange> {
		this.require();
		const inRoom = new Map((participants ?? (await this.listParticipants(room))).map((p) => [p.identity, p]));
		const candidates = [...new Set(others)].filter((other) => other !== identity);
		const absent: string[] = candidates.filter((other) => !inRoom.has(other));
		const targets = candidates.filter((other) => inRoom.get(other)?.canPublishMicrophone && !revokedAlready.includes(other));
		const revoked: string[] = [...revokedAlready];
		// The revoke and the mute of a still-open microphone are sent together: LiveKit closes a track the new
		// permission no longer allows (the mute is for a server that keeps it), and each is a round trip.
		const open = [...targets, ...revokedAlready.filter((other) => inRoom.has(other))].flatMap((other) =>
			inRoom.get(other)!.tracks.filter((t) => t.source === 'microphone' && !t.muted).map((t) => ({ identity: other, trackSid: t.sid }))
		);
		const [, muted] = await Promise.all([
			runLimited(targets, CONCURRENCY, async (other) => {
				if (await this.revokeOne(room, other)) revoked.push(other);
				else absent.push(other);
			}),
			this.muteTracks(room, open)
		]);
		return { granted: identity, revoked: revoked.sort(), absent: absent.sort(), muted: muted.filter((other) => revoked.includes(other)) };
	}

	/** End a speaker's turn: camera only again, and its open microphone muted (and a handover still passing ends). */
	async takeFloor(room: string, identity: string): Promise<void> {
		const client = this.require();
		await this.completeHandover(room);
		await this.setFloor(client, room, identity, false);
		this.forgetSiteFloor(room, identity);
		await this.muteMicrophones(room, (p) => p.identity === identity);
	}

	/** The chair's "mute all": mutes every published microphone except those listed (the chair's own). */
	async muteAll(room: string, options: { except?: string[] } = {}): Promise<{ muted: string[] }> {
		const except = new Set(options.except ?? []);
		return { muted: await this.muteMicrophones(room, (p) => !except.has(p.identity)) };
	}

	/** Disconnect a participant. It can rejoin with a still-valid token; revoke at the app level too. */
	async remove(room: string, identity: string): Promise<void> {
		const client = this.require();
		await this.call(() => client.removeParticipant(room, identity));
	}

	/** Participants now in the room; a room nobody has joined yet simply has none. */
	async listParticipants(room: string): Promise<MediaParticipant[]> {
		try {
			const list = await this.call((c) => c.listParticipants(room));
			return list.map(toMediaParticipant);
		} catch (error) {
			if (isMediaError(error, 'NOT_FOUND')) return [];
			throw error;
		}
	}

	/**
	 * Raise/lower a site's hand. Done by the server (after the app checked the caller operates
	 * that site) rather than by the browser, so participants never need canUpdateOwnMetadata.
	 */
	async setHandRaised(room: string, identity: string, raised: boolean): Promise<void> {
		const client = this.require();
		// An empty value deletes the attribute in LiveKit.
		await this.call(() => client.updateParticipant(room, identity, { attributes: { [HAND_RAISED_ATTRIBUTE]: raised ? '1' : '' } }));
	}

	private async muteMicrophones(room: string, select: (p: ParticipantInfo) => boolean): Promise<string[]> {
		const participants = await this.call((c) => c.listParticipants(room)).catch((error: unknown) => {
			if (isMediaError(error, 'NOT_FOUND')) return [] as ParticipantInfo[];
			throw error;
		});
		const jobs = participants.filter(select).flatMap(openMicrophones);
		return this.muteTracks(room, jobs);
	}

	/** Mutes these tracks; one already gone (closed, or its participant left) has nothing left to mute. */
	private async muteTracks(room: string, jobs: { identity: string; trackSid: string }[]): Promise<string[]> {
		const client = this.require();
		const muted = new Set<string>();
		await runLimited(jobs, CONCURRENCY, async (job) => {
			try {
				await this.call(() => client.mutePublishedTrack(room, job.identity, job.trackSid, true));
				muted.add(job.identity);
			} catch (error) {
				// The participant left or unpublished in the meantime: nothing left to mute.
				if (!isMediaError(error, 'NOT_FOUND')) throw error;
			}
		});
		return [...muted].sort();
	}

	/** One participant as the server has it now; null when it is not in the room. */
	private async getParticipant(room: string, identity: string): Promise<ParticipantInfo | null> {
		try {
			return await this.call((c) => c.getParticipant(room, identity));
		} catch (error) {
			if (isMediaError(error, 'NOT_FOUND')) return null;
			throw error;
		}
	}

	/** Camera only again for one floor participant: false when it is not in the room (nothing to revoke). */
	private async revokeOne(room: string, identity: string): Promise<boolean> {
		const client = this.require();
		try {
			await this.setFloor(client, room, identity, false);
		} catch (error) {
			if (isMediaError(error, 'NOT_FOUND')) return false;
			throw error;
		}
		this.forgetSiteFloor(room, identity);
		return true;
	}

	/**
	 * The floor's permission, then its attribute (LiveKit deletes an attribute set to the empty string). LiveKit sends
	 * each change to everyone in the room before it takes the next, and in a room of 169 the new speaker, who waits
	 * for the permission, would otherwise wait for the attribute's round to every other participant first.
	 */
	private async setFloor(client: RoomServiceClient, room: string, identity: string, holdsFloor: boolean): Promise<void> {
		await this.call(() => client.updateParticipant(room, identity, { permission: permissionFor('site', { holdsFloor }) }));
		await this.call(() => client.updateParticipant(room, identity, { attributes: { [FLOOR_ATTRIBUTE]: holdsFloor ? '1' : '' } }));
	}

	private forgetSiteFloor(room: string, identity: string): void {
		if (this.siteFloor.get(room) === identity) this.siteFloor.delete(room);
	}

	private require(): RoomServiceClient {
		if (!this.client) throw new MediaError('NOT_CONFIGURED', 'Video is not configured');
		return this.client;
	}

	private async call<T>(fn: (client: RoomServiceClient) => Promise<T>): Promise<T> {
		const client = this.require();
		try {
			return await fn(client);
		} catch (error) {
			throw toMediaError(error);
		}
	}
}

/** Classify anything the SDK (fetch, Twirp) throws. Exported for the lead's token/route code. */
export function toMediaError(error: unknown): MediaError {
	if (error instanceof MediaError) return error;
	const e = error as { name?: string; message?: string; status?: unknown; code?: unknown; cause?: unknown };
	if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
		return new MediaError('UNREACHABLE', 'Video server did not answer in time', { cause: error });
	}
	if (typeof e?.status === 'number') {
		const status = e.status;
		if (status === 401 || status === 403) return new MediaError('UNAUTHORIZED', e.message ?? 'unauthorized', { cause: error });
		if (status === 404 && e.code === 'not_found') return new MediaError('NOT_FOUND', e.message ?? 'not found', { cause: error });
		// A reverse proxy in front of a stopped LiveKit answers 502/503/504.
		if (status === 502 || status === 503 || status === 504) {
			return new MediaError('UNREACHABLE', `Video server unavailable (${status})`, { cause: error });
		}
		return new MediaError('SERVER_ERROR', `Video server error ${status}: ${e.message ?? ''}`, { cause: error });
	}
	// undici: TypeError('fetch failed') with cause ECONNREFUSED / ENOTFOUND / ECONNRESET …
	if (error instanceof TypeError) {
		return new MediaError('UNREACHABLE', 'Cannot connect to the video server', { cause: error });
	}
	return new MediaError('SERVER_ERROR', e?.message ?? 'Unknown video server error', { cause: error });
}

/** A participant's microphone tracks still open (published, not muted), as mute jobs. */
function openMicrophones(p: ParticipantInfo): { identity: string; trackSid: string }[] {
	return p.tracks.filter((t) => t.source === TrackSource.MICROPHONE && !t.muted).map((t) => ({ identity: p.identity, trackSid: t.sid }));
}

function toMediaParticipant(p: ParticipantInfo): MediaParticipant {
	const sources = p.permission?.canPublishSources ?? [];
	return {
		identity: p.identity,
		name: p.name,
		sid: p.sid,
		joinedAt: p.joinedAt ? new Date(Number(p.joinedAt) * 1000) : null,
		metadata: p.metadata,
		attributes: { ...p.attributes },
		handRaised: p.attributes[HAND_RAISED_ATTRIBUTE] === '1',
		canPublishMicrophone: !!p.permission?.canPublish && (sources.length === 0 || sources.includes(TrackSource.MICROPHONE)),
		tracks: p.tracks.map((t) => ({ sid: t.sid, source: sourceName(t.source), muted: t.muted }))
	};
}

/** Run `fn` over `items` with at most `limit` in flight; rejects with the first error after all settle. */
async function runLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	let firstError: unknown = null;
	const worker = async () => {
		while (next < items.length) {
			const item = items[next++];
			try {
				await fn(item);
			} catch (error) {
				firstError ??= error;
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	if (firstError !== null) throw firstError;
}
