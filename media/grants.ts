import { TrackSource, type VideoGrant } from 'livekit-server-sdk';
import type { ParticipantPermission } from 'livekit-server-sdk';

// Who may do what in a room. This is the single place that turns an app role into LiveKit
// rights: the join token (grantsFor) and the live permission updates of floor control
// (permissionFor) are derived from the same table so they cannot drift apart.
export type MediaRole = 'chair' | 'host' | 'delegate' | 'site' | 'monitor' | 'display';
export const MEDIA_ROLES: readonly MediaRole[] = ['chair', 'host', 'delegate', 'site', 'monitor', 'display'];

export interface FloorState {
	/** true while the chair has given this participant the floor (may open its microphone). */
	holdsFloor: boolean;
}

/** Grant without `room`: the token builder adds the room so this stays a pure role table. */
export type RoleGrant = Omit<VideoGrant, 'room'>;

/**
 * The exact video grant for a role — never wider than the role needs.
 * - chair/host run the room: admin rights, publish anything, data messages.
 * - delegate/site publish their camera; the microphone only while holding the floor.
 *   canPublishData is explicitly false because LiveKit defaults it to true.
 * - monitor/display only watch.
 */
export function grantsFor(role: MediaRole, { holdsFloor }: FloorState): RoleGrant {
	switch (role) {
		case 'chair':
		case 'host':
			return { roomJoin: true, roomAdmin: true, canPublish: true, canSubscribe: true, canPublishData: true };
		case 'delegate':
		case 'site':
			return {
				roomJoin: true,
				canSubscribe: true,
				canPublish: true,
				canPublishSources: publishSources(holdsFloor),
				canPublishData: false
			};
		case 'monitor':
		case 'display':
			return { roomJoin: true, canSubscribe: true, canPublish: false, canPublishData: false };
		default:
			// Unknown role at runtime (e.g. a value from the database): refuse rather than guess.
			throw new TypeError(`Unknown media role: ${String(role satisfies never)}`);
	}
}

function publishSources(holdsFloor: boolean): TrackSource[] {
	return holdsFloor ? [TrackSource.CAMERA, TrackSource.MICROPHONE] : [TrackSource.CAMERA];
}

/**
 * The live permission for a participant, for RoomServiceClient.updateParticipant.
 * LiveKit REPLACES the whole permission on update (proto3: unset = false), so every field is
 * spelled out — sending only canPublishSources would silently take away canSubscribe.
 */
export function permissionFor(role: MediaRole, floor: FloorState): Partial<ParticipantPermission> {
	const grant = grantsFor(role, floor);
	return {
		canSubscribe: grant.canSubscribe ?? false,
		canPublish: grant.canPublish ?? false,
		canPublishData: grant.canPublishData ?? false,
		canPublishSources: grant.canPublishSources ? [...grant.canPublishSources] : [],
		canUpdateMetadata: false,
		hidden: false,
		recorder: false
	};
}
