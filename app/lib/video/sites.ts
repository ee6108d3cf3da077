import type { ConnectionQualityName, ParticipantView } from './participants';

// The chair's console lists every INVITED site, online or not; live data comes from the room.
export interface InvitedSite {
	code: string;
	name: string;
}

export interface SiteStatus extends InvitedSite {
	identity: string;
	online: boolean;
	connectionQuality: ConnectionQualityName;
	micOn: boolean;
	cameraOn: boolean;
	handRaised: boolean;
}

export type SiteProblem = 'offline' | 'poorConnection' | 'noCamera';

export function siteStatuses(invited: readonly InvitedSite[], participants: readonly ParticipantView[]): SiteStatus[] {
	const byCode = new Map(participants.filter((p) => p.siteCode).map((p) => [p.siteCode as string, p]));
	return invited.map((site) => {
		const live = byCode.get(site.code);
		return {
			...site,
			identity: `site-${site.code}`,
			online: !!live,
			connectionQuality: live?.connectionQuality ?? 'unknown',
			micOn: live?.micOn ?? false,
			cameraOn: live?.cameraOn ?? false,
			handRaised: live?.handRaised ?? false
		};
	});
}

/** What is wrong with a site, for the "only sites with problems" filter and its text labels. */
export function siteProblems(site: SiteStatus): SiteProblem[] {
	if (!site.online) return ['offline'];
	const problems: SiteProblem[] = [];
	if (site.connectionQuality === 'poor' || site.connectionQuality === 'lost') problems.push('poorConnection');
	if (!site.cameraOn) problems.push('noCamera');
	return problems;
}

/** A site's last known state as the server keeps it (conference.sites, fed by LiveKit's webhooks). */
export interface StoredSiteStatus {
	code: string;
	name: string;
	status: 'online' | 'offline';
	micPublished: boolean;
	cameraPublished: boolean;
	connectionQuality: ConnectionQualityName;
	handRaised: boolean;
}

/**
 * Participant views for the console: the live room's participants when connected, completed by the
 * server's stored state for sites the room does not show (e.g. the chair's own video is down).
 */
export function consoleParticipants(live: readonly ParticipantView[], stored: readonly StoredSiteStatus[]): ParticipantView[] {
	const seen = new Set(live.map((p) => p.siteCode).filter(Boolean));
	const fallback: ParticipantView[] = stored
		.filter((s) => s.status === 'online' && !seen.has(s.code))
		.map((s) => ({
			identity: `site-${s.code}`,
			name: s.name,
			isLocal: false,
			siteCode: s.code,
			isSpeaking: false,
			connectionQuality: s.connectionQuality,
			micOn: s.micPublished,
			cameraOn: s.cameraPublished,
			handRaised: s.handRaised,
			cameraTrackSid: null,
			canPublishMicrophone: false
		}));
	// A hand raised through the app shows even before LiveKit's attribute reaches this browser.
	const raised = new Set(stored.filter((s) => s.handRaised).map((s) => s.code));
	return [...live.map((p) => (p.siteCode && raised.has(p.siteCode) ? { ...p, handRaised: true } : p)), ...fallback];
}
