import type { Db } from '../../../../db/client.js';
import type { CouncilRole } from '../../../../db/schema.js';
import { siteIdentity, type MediaRole, type RoomKind, type TokenRequest } from '../../../../media/index';
import { AppError } from '../errors';
import type { CouncilResolver, CouncilScope } from '../auth/council-access';
import { hasCityRole, rolesIn, type AuthUser } from '../auth/current-user';

// Who may join which video room, and as what. Resolvers name the council whose roles decide (the sitting's
// council; a conference's organiser, or for a ward site operator the invited ward); `joinRequest` turns the
// caller's roles there into a LiveKit role and identity. Unknown ids resolve to null (answered FORBIDDEN).

/** Council roles that may ask for a video token at all. */
export const MEDIA_COUNCIL_ROLES: readonly CouncilRole[] = ['chair', 'delegate', 'site_operator', 'secretary', 'clerk'];

async function conferenceCouncil(ctx: { db: Db; user: AuthUser | null }, conferenceId: string | undefined, sitesOnly: boolean) {
	if (!conferenceId) return null;
	const conference = await ctx.db.selectFrom('conferences').select('council_id').where('id', '=', conferenceId).executeTakeFirst();
	if (!conference) return null;
	const user = ctx.user;
	if (!sitesOnly && (!user || rolesIn(user, conference.council_id).length > 0 || hasCityRole(user, 'monitor', 'admin'))) {
		return conference.council_id;
	}
	// A ward site operator acts for its own ward, which must be invited.
	const operated = (user?.councils ?? []).filter((c) => c.roles.includes('site_operator')).map((c) => c.councilId);
	if (operated.length > 0) {
		const site = await ctx.db
			.selectFrom('conference_sites')
			.select('council_id')
			.where('conference_id', '=', conferenceId)
			.where('council_id', 'in', operated)
			.orderBy('council_id')
			.executeTakeFirst();
		if (site) return site.council_id;
	}
	return sitesOnly ? null : conference.council_id;
}

/** The organising council (its readers), or the invited ward of a site operator. */
export const byConference: CouncilResolver = (ctx, input) => conferenceCouncil(ctx, (input as { conferenceId?: string }).conferenceId, false);

/** Only the organising council: for the chair's actions and the full site list. */
export const byConferenceOrganiser: CouncilResolver = async (ctx, input) => {
	const id = (input as { conferenceId?: string }).conferenceId;
	if (!id) return null;
	return (await ctx.db.selectFrom('conferences').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
};

/** Only an invited ward the caller operates the site of: for the kiosk's actions. */
export const byInvitedSite: CouncilResolver = (ctx, input) => conferenceCouncil(ctx, (input as { conferenceId?: string }).conferenceId, true);

/** The council behind a video room: the sitting's, or as `byConference`. */
export const byMediaRoom: CouncilResolver = async (ctx, input) => {
	const { roomKind, id } = input as { roomKind?: RoomKind; id?: string };
	if (!id) return null;
	if (roomKind === 'sitting') {
		return (await ctx.db.selectFrom('sittings').select('council_id').where('id', '=', id).executeTakeFirst())?.council_id ?? null;
	}
	if (roomKind === 'conference') return conferenceCouncil(ctx, id, false);
	return null;
};

/** The organising council of city-wide conferences: the input's council, or the city. */
export const byOrganiser: CouncilResolver = async (ctx, input) => {
	const councilId = (input as { councilId?: string }).councilId;
	if (councilId) return councilId;
	return (await ctx.db.selectFrom('councils').select('id').where('kind', '=', 'city').executeTakeFirst())?.id ?? null;
};

async function isSpeaking(db: Db, sittingId: string | null, userId: string): Promise<boolean> {
	if (!sittingId) return false;
	return !!(await db
		.selectFrom('floor_requests')
		.select('id')
		.where('sitting_id', '=', sittingId)
		.where('user_id', '=', userId)
		.where('status', '=', 'speaking')
		.executeTakeFirst());
}

function personalRole(roles: CouncilRole[]): MediaRole | null {
	if (roles.includes('chair')) return 'chair';
	if (roles.includes('delegate')) return 'delegate';
	if (roles.includes('site_operator')) return 'site';
	if (roles.includes('secretary') || roles.includes('clerk')) return 'display';
	return null;
}

/**
 * The token request for the caller in a room, from their roles in the resolved council:
 * chair → chair; delegate → delegate (microphone only while speaking on the sitting's floor);
 * site operator → the ward's site `site-<code>`; secretary/clerk → display (watch only); city monitor → monitor.
 */
export async function joinRequest(db: Db, user: AuthUser, scope: CouncilScope, roomKind: RoomKind, id: string): Promise<TokenRequest> {
	let sittingId: string | null;
	if (roomKind === 'sitting') {
		sittingId = id;
	} else {
		const conference = await db.selectFrom('conferences').select(['status', 'sitting_id', 'council_id']).where('id', '=', id).executeTakeFirst();
		if (!conference) throw new AppError('NOT_FOUND', 'media.conference.notFound');
		if (conference.status === 'ended') throw new AppError('CONFLICT', 'media.conference.ended');
		sittingId = conference.sitting_id;
		if (scope.councilId !== conference.council_id) {
			// byConference only resolves to another council for an invited site the caller operates.
			if (!scope.councilRoles.includes('site_operator')) throw new AppError('FORBIDDEN', 'media.conference.noRole');
			return siteRequest(db, user, scope.councilId, roomKind, id, sittingId);
		}
	}
	const role = scope.viaCityRole ? 'monitor' : personalRole(scope.councilRoles);
	if (!role) throw new AppError('FORBIDDEN', 'media.conference.noRole');
	if (role === 'site') {
		if (roomKind === 'conference') throw new AppError('FORBIDDEN', 'media.conference.siteNotInvited');
		return siteRequest(db, user, scope.councilId, roomKind, id, sittingId);
	}
	return {
		roomKind,
		id,
		identity: user.id,
		name: user.fullName,
		role,
		holdsFloor: role === 'delegate' && (await isSpeaking(db, sittingId, user.id))
	};
}

async function siteRequest(db: Db, user: AuthUser, councilId: string, roomKind: RoomKind, id: string, sittingId: string | null): Promise<TokenRequest> {
	const council = await db.selectFrom('councils').select(['code', 'name']).where('id', '=', councilId).executeTakeFirstOrThrow();
	return {
		roomKind,
		id,
		identity: siteIdentity(council.code),
		name: council.name,
		role: 'site',
		holdsFloor: await isSpeaking(db, sittingId, user.id)
	};
}
