import { AccessToken } from 'livekit-server-sdk';
import type { MediaConfig } from './config';
import { websocketUrl } from './config';
import { MediaError } from './errors';
import { grantsFor, type MediaRole } from './grants';
import { parseSiteIdentity, roomName, type RoomKind } from './rooms';

// Join tokens are short-lived: a leaked token (screenshot, shared kiosk) stops working within
// hours, and a role change (floor given/taken) is enforced live by room-service, not the token.
export const DEFAULT_TOKEN_TTL_SECONDS = 2 * 60 * 60;
export const MAX_TOKEN_TTL_SECONDS = 6 * 60 * 60;
const MIN_TOKEN_TTL_SECONDS = 60;

export interface TokenRequest {
	roomKind: RoomKind;
	/** sittingId or conferenceId */
	id: string | number;
	/** account id, or `site-<communeCode>` for a site operator (role 'site') */
	identity: string;
	/** display name shown on the tile */
	name: string;
	role: MediaRole;
	holdsFloor: boolean;
	ttlSeconds?: number;
}

export interface IssuedToken {
	token: string;
	/** the WebSocket URL the browser connects to */
	url: string;
	/** exactly the token's `exp` claim */
	expiresAt: Date;
	room: string;
}

export async function issueToken(config: MediaConfig, request: TokenRequest): Promise<IssuedToken> {
	if (!config.enabled) throw new MediaError('NOT_CONFIGURED', 'Video is not configured');
	const ttl = request.ttlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS;
	if (!Number.isInteger(ttl) || ttl < MIN_TOKEN_TTL_SECONDS || ttl > MAX_TOKEN_TTL_SECONDS) {
		throw new MediaError(
			'INVALID_ARGUMENT',
			`Token lifetime must be an integer between ${MIN_TOKEN_TTL_SECONDS} and ${MAX_TOKEN_TTL_SECONDS} seconds`
		);
	}
	checkIdentity(request.role, request.identity);
	const room = roomName(request.roomKind, request.id);

	const at = new AccessToken(config.apiKey, config.apiSecret, {
		identity: request.identity,
		name: request.name,
		ttl
	});
	at.addGrant({ ...grantsFor(request.role, { holdsFloor: request.holdsFloor }), room });
	const token = await at.toJwt();
	return { token, url: websocketUrl(config.url), expiresAt: new Date(expOf(token) * 1000), room };
}

// A site identity stands for a whole ward hall; only the 'site' role may use one, and the
// 'site' role may use nothing else — so an account cannot impersonate a site or vice versa.
function checkIdentity(role: MediaRole, identity: string): void {
	if (!/^[A-Za-z0-9_.@:-]{1,128}$/.test(identity)) {
		throw new MediaError('INVALID_ARGUMENT', 'Invalid participant identity');
	}
	if (role === 'site' && parseSiteIdentity(identity) === null) {
		throw new MediaError('INVALID_ARGUMENT', 'A site operator must join as site-<communeCode>');
	}
	if (role !== 'site' && identity.startsWith('site-')) {
		throw new MediaError('INVALID_ARGUMENT', 'Only the site role may use a site-<code> identity');
	}
}

/** Read `exp` back from the signed token so expiresAt cannot disagree with it by a second. */
function expOf(jwt: string): number {
	const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { exp?: number };
	if (typeof payload.exp !== 'number') throw new MediaError('SERVER_ERROR', 'Signed token has no exp');
	return payload.exp;
}
