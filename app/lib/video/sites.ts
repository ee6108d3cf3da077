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
