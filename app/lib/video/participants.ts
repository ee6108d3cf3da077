// Pure view model of room participants — no livekit-client import, so it is unit-testable and
// free for the voting screen's bundle. room.ts fills it from live LiveKit objects.

export type ConnectionQualityName = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

export interface ParticipantView {
	identity: string;
	name: string;
	isLocal: boolean;
	/** commune code for `site-<code>` identities, else null */
	siteCode: string | null;
	isSpeaking: boolean;
	connectionQuality: ConnectionQualityName;
	micOn: boolean;
	cameraOn: boolean;
	handRaised: boolean;
	/** sid of the camera track when one is subscribed and attachable, else null */
	cameraTrackSid: string | null;
	/** may publish its microphone right now (holds the floor, or chair/host) */
	canPublishMicrophone: boolean;
}

/** Must match media/room-service.ts HAND_RAISED_ATTRIBUTE (set server-side). */
export const HAND_RAISED_ATTRIBUTE = 'handRaised';

/** Hand raised from participant attributes (preferred) or JSON metadata `{"handRaised": true}`. */
export function handRaisedFrom(attributes: Readonly<Record<string, string>> | undefined, metadata: string | undefined): boolean {
	const value = attributes?.[HAND_RAISED_ATTRIBUTE];
	if (value !== undefined && value !== '') return value === '1' || value === 'true';
	if (!metadata) return false;
	try {
		const parsed: unknown = JSON.parse(metadata);
		return typeof parsed === 'object' && parsed !== null && (parsed as { handRaised?: unknown }).handRaised === true;
	} catch {
		return false; // metadata is free text for other purposes
	}
}

export function siteCodeOf(identity: string): string | null {
	const match = /^site-([A-Za-z0-9]{1,16})$/.exec(identity);
	return match ? match[1] : null;
}

export interface FocusPolicy {
	chairIdentity?: string | null;
	speakerIdentity?: string | null;
}

/** High resolution only for the chair and the current speaker; thumbnails for everyone else. */
export function videoQualityFor(identity: string, focus: FocusPolicy): 'high' | 'low' {
	return identity === focus.chairIdentity || identity === focus.speakerIdentity ? 'high' : 'low';
}

const collator = new Intl.Collator('vi');

/** Grid order: chair, then speaker, then raised hands, then by name (Vietnamese collation). */
export function orderForGrid(views: readonly ParticipantView[], focus: FocusPolicy): ParticipantView[] {
	const rank = (v: ParticipantView) =>
		v.identity === focus.chairIdentity ? 0 : v.identity === focus.speakerIdentity ? 1 : v.handRaised ? 2 : 3;
	return [...views].sort((a, b) => rank(a) - rank(b) || collator.compare(a.name, b.name) || a.identity.localeCompare(b.identity));
}
